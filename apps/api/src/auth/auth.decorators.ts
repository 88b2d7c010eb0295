import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { PlatformRole } from './principal';

export const AUTH_REQUIREMENT = 'entitlements:auth-requirement';

/** Who may call a route. Every route declares one; a route without is refused (fail closed). */
export type AuthRequirement =
  { kind: 'public' } | { kind: 'platform'; role: PlatformRole; allProjects: boolean } | { kind: 'operator' };

export const PLATFORM_SCHEME = 'platform';
export const KEYCLOAK_SCHEME = 'keycloak';

/** No token needed (health, docs, the development JWKS). */
export const Public = () => SetMetadata(AUTH_REQUIREMENT, { kind: 'public' } satisfies AuthRequirement);

/**
 * A platform token with at least `role`. The project the call names is checked by the handler
 * (`principal.requireProject`), as it comes from the path, the query or the body.
 */
export const PlatformAuth = (role: PlatformRole, options: { allProjects?: boolean } = {}) =>
  applyDecorators(
    SetMetadata(AUTH_REQUIREMENT, {
      kind: 'platform',
      role,
      allProjects: options.allProjects ?? false,
    } satisfies AuthRequirement),
    ApiBearerAuth(PLATFORM_SCHEME),
  );

/**
 * A Keycloak token with realm role operatorRole or adminRole. (The CRM gateway's TenantGuard then resolves the
 * tenant from `nv-tenant-id`.)
 */
export const OperatorAuth = () =>
  applyDecorators(
    SetMetadata(AUTH_REQUIREMENT, { kind: 'operator' } satisfies AuthRequirement),
    ApiBearerAuth(KEYCLOAK_SCHEME),
  );

/** The verified caller (PlatformPrincipal or OperatorPrincipal). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<{ user?: unknown }>().user,
);
