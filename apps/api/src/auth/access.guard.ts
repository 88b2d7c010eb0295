import { DomainError, DomainErrorCode } from '@app/domain';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { AUTH_REQUIREMENT, AuthRequirement } from './auth.decorators';
import { OPERATOR_ROLES, OperatorPrincipal, PlatformPrincipal, PlatformRole } from './principal';
import { bearerToken, VerifiedTokens } from './verified-tokens';

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
  private readonly platformTokens = new VerifiedTokens<PlatformPrincipal>();
  private readonly keycloakTokens = new VerifiedTokens<OperatorPrincipal>();

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
    const principal = await this.verify(context, this.platform, this.platformTokens);
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
    const principal = await this.verify(context, this.keycloak, this.keycloakTokens);
    if (!OPERATOR_ROLES.some((role) => principal.roles.includes(role))) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        'the token needs the realm role operatorRole or adminRole',
      );
    }
    return true;
  }

  /** The request's principal: from a token verified a moment ago, or verified now by the passport strategy. */
  private async verify<P>(context: ExecutionContext, guard: CanActivate, verified: VerifiedTokens<P>): Promise<P> {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const token = bearerToken(request.headers.authorization);
    const known = token === undefined ? undefined : verified.get(token);
    if (known !== undefined) {
      request.user = known;
      return known;
    }
    await guard.canActivate(context);
    const principal = request.user as P;
    if (token !== undefined) verified.remember(token, principal);
    return principal;
  }
}
