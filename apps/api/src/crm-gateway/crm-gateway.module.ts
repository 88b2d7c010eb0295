import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { CrmEntitlementsController } from './crm-entitlements.controller';
import { CrmEntitlementsService } from './crm-entitlements.service';

/**
 * The CRM-gateway-style operator API (/crm-gateway/v1/rmg/v1/entitlements): pay-TV operators' CRM and
 * billing systems, Keycloak tokens, the tenant from `nv-tenant-id`. It shares the EntitlementStore (and so
 * the entitlements and their history) with the Motto-style API.
 */
@Module({
  imports: [DatabaseModule],
  controllers: [CrmEntitlementsController],
  providers: [CrmEntitlementsService],
})
export class CrmGatewayModule {}
