import { Module } from '@nestjs/common';

/** Feature module: filled by the crm-gateway issue. */
@Module({})
export class CrmGatewayModule {}
