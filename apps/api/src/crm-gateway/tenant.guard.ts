import { DomainError, DomainErrorCode, Project } from '@app/domain';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { OperatorPrincipal } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ProjectStore } from '@app/database';

export const TENANT_HEADER = 'nv-tenant-id';

export type TenantRequest = FastifyRequest & { user?: unknown; tenant?: Project };

/**
 * The CRM gateway's tenant (applied by @CrmApi(), after the global AccessGuard verified the Keycloak token
 * and its role): the project named by `nv-tenant-id`, else the configured default tenant (none: 400, 4002);
 * refused (403) when the token's tenants claim does not list it; unknown: 404 (4040). Put on
 * `request.tenant` for @Tenant().
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    private readonly projects: ProjectStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const principal = request.user;
    // Only reachable on a route without @OperatorAuth: fail closed.
    if (!(principal instanceof OperatorPrincipal))
      throw new DomainError(DomainErrorCode.PermissionDenied, 'this route needs an operator token');
    const header = request.headers[TENANT_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    const tenantId = given?.trim() || this.config.auth.crmDefaultTenant;
    if (!tenantId) {
      throw new DomainError(
        DomainErrorCode.InvalidArgument,
        `missing ${TENANT_HEADER} header (no default tenant is configured)`,
        [{ field: TENANT_HEADER, description: 'required' }],
        'MISSING_TENANT',
      );
    }
    if (principal.tenants && !principal.tenants.includes(tenantId)) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        `the token does not grant access to tenant ${JSON.stringify(tenantId)}`,
      );
    }
    const tenant = await this.projects.find(tenantId);
    if (!tenant)
      throw new DomainError(
        DomainErrorCode.NotFound,
        `tenant ${JSON.stringify(tenantId)} does not exist`,
        [],
        'TENANT_NOT_FOUND',
      );
    request.tenant = tenant;
    return true;
  }
}
