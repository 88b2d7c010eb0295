import { DomainError, DomainErrorCode, Project } from '@app/domain';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ProjectsService } from '../projects/projects.service';
import { AUTH_REQUIREMENT, AuthRequirement } from './auth.decorators';
import { OperatorPrincipal, PlatformPrincipal } from './principal';

export const TENANT_HEADER = 'nv-tenant-id';

/** Why passport refused a token, in words a caller can act on. */
function refusal(info: unknown, err: unknown): string {
  const reason = (err as Error | undefined)?.message ?? (info as Error | undefined)?.message ?? 'invalid token';
  return reason === 'No auth token' ? 'missing bearer token (Authorization: Bearer <token>)' : `invalid token: ${reason}`;
}

function passportGuard(strategy: string) {
  return class extends AuthGuard(strategy) {
    override handleRequest<T>(err: unknown, user: T, info: unknown): T {
      if (err || !user) throw new DomainError(DomainErrorCode.Unauthenticated, refusal(info, err));
      return user;
    }
  };
}
const PlatformJwtGuard = passportGuard('platform-jwt');
const KeycloakJwtGuard = passportGuard('keycloak-jwt');

export type TenantRequest = FastifyRequest & { user?: unknown; tenant?: Project };

/**
 * The one global guard: reads the route's AuthRequirement (a route without one is refused),
 * verifies the token with the matching passport strategy, checks the role, and for the CRM
 * gateway resolves the tenant from `nv-tenant-id` onto `request.tenant`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly platform = new PlatformJwtGuard();
  private readonly keycloak = new KeycloakJwtGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly projects: ProjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_REQUIREMENT, [context.getHandler(), context.getClass()]);
    if (!requirement) throw new DomainError(DomainErrorCode.PermissionDenied, 'this route has no access rule');
    switch (requirement.kind) {
      case 'public':
        return true;
      case 'platform':
        return this.checkPlatform(context, requirement);
      case 'operator':
        return this.checkOperator(context);
    }
  }

  private async checkPlatform(context: ExecutionContext, requirement: { role: 'admin' | 'editor' | 'viewer'; allProjects: boolean }): Promise<boolean> {
    await this.platform.canActivate(context);
    const principal = context.switchToHttp().getRequest<TenantRequest>().user as PlatformPrincipal;
    if (!principal.hasRole(requirement.role)) {
      throw new DomainError(DomainErrorCode.PermissionDenied, `this call needs the ${requirement.role} role (the token has ${principal.role ?? 'no valid role'})`);
    }
    if (requirement.allProjects && !principal.allProjects) {
      throw new DomainError(DomainErrorCode.PermissionDenied, 'this call needs a token for all projects ("projects": ["*"])');
    }
    return true;
  }

  private async checkOperator(context: ExecutionContext): Promise<boolean> {
    await this.keycloak.canActivate(context);
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const principal = request.user as OperatorPrincipal;
    if (!principal.roles.includes('operatorRole') && !principal.roles.includes('adminRole')) {
      throw new DomainError(DomainErrorCode.PermissionDenied, 'the token needs the realm role operatorRole or adminRole');
    }
    const header = request.headers[TENANT_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    const tenantId = given?.trim() || this.config.auth.crmDefaultTenant;
    if (!tenantId) {
      throw new DomainError(DomainErrorCode.InvalidArgument, `missing ${TENANT_HEADER} header (no default tenant is configured)`, [
        { field: TENANT_HEADER, description: 'required' },
      ], 'MISSING_TENANT');
    }
    if (principal.tenants && !principal.tenants.includes(tenantId)) {
      throw new DomainError(DomainErrorCode.PermissionDenied, `the token does not grant access to tenant ${JSON.stringify(tenantId)}`);
    }
    const tenant = await this.projects.find(tenantId);
    if (!tenant) throw new DomainError(DomainErrorCode.NotFound, `tenant ${JSON.stringify(tenantId)} does not exist`, [], 'TENANT_NOT_FOUND');
    request.tenant = tenant;
    return true;
  }
}
