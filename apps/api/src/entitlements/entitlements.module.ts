import { Module } from '@nestjs/common';

/** Feature module: filled by the entitlements issue. */
@Module({})
export class EntitlementsModule {}
