import { DomainError, DomainErrorCode } from '@app/domain';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { AUTH_REQUIREMENT, AuthRequirement } from './auth.decorators';
import { OPERATOR_ROLES, OperatorPrincipal, PlatformPrincipal, PlatformRole } from './principal';

/** Why passport refused a token, in words a caller can act on. */
function refusal(info: unknown, err: unknown): string {
  const reason = (err as Error | undefined)?.message ?? (info as Error | undefined)?.message ?? 'invalid token';
  return reason === 'No auth token'
    ? 'missing bearer token (Authorization: Bearer <token>)'
    : `invalid token: ${reason}`;
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

type AuthRequest = FastifyRequest & { user?: unknown };

/**
 * The one global guard: reads the route's AuthRequirement (a route without one is refused),
 * verifies the token with the matching passport strategy and checks the role. (The CRM gateway's
 * TenantGuard resolves the tenant afterwards, on its own controller.)
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly platform = new PlatformJwtGuard();
  private readonly keycloak = new KeycloakJwtGuard();

  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_REQUIREMENT, [
      context.getHandler(),
      context.getClass(),
    ]);
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

  private async checkPlatform(
    context: ExecutionContext,
    requirement: { role: PlatformRole; allProjects: boolean },
  ): Promise<boolean> {
    await this.platform.canActivate(context);
    const principal = context.switchToHttp().getRequest<AuthRequest>().user as PlatformPrincipal;
    if (!principal.hasRole(requirement.role)) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        `this call needs the ${requirement.role} role (the token has ${principal.role ?? 'no valid role'})`,
      );
    }
    if (requirement.allProjects && !principal.allProjects) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        'this call needs a token for all projects ("projects": ["*"])',
      );
    }
    return true;
  }

  private async checkOperator(context: ExecutionContext): Promise<boolean> {
    await this.keycloak.canActivate(context);
    const principal = context.switchToHttp().getRequest<AuthRequest>().user as OperatorPrincipal;
    if (!OPERATOR_ROLES.some((role) => principal.roles.includes(role))) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        'the token needs the realm role operatorRole or adminRole',
      );
    }
    return true;
  }
}
