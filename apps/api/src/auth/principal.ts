import { DomainError, DomainErrorCode } from '@app/domain';

/**
 * The role claim of a platform token (Motto-style API). `viewer` reads, `editor` also writes offers and
 * entitlements, `admin` also manages projects. `playback` (the playback service, in the play path) may
 * only ask for access decisions and hold playback sessions; editor and admin may too.
 */
export type PlatformRole = 'admin' | 'editor' | 'viewer' | 'playback';
export const PLATFORM_ROLES: readonly PlatformRole[] = ['viewer', 'editor', 'admin', 'playback'];

/** The roles each role includes (least privilege: playback includes nothing else, nothing includes admin). */
const INCLUDES: Readonly<Record<PlatformRole, readonly PlatformRole[]>> = {
  viewer: ['viewer'],
  playback: ['playback'],
  editor: ['editor', 'viewer', 'playback'],
  admin: ['admin', 'editor', 'viewer', 'playback'],
};
/** The Keycloak realm roles that may call the CRM gateway. */
export type OperatorRole = 'operatorRole' | 'adminRole';
export const OPERATOR_ROLES: readonly OperatorRole[] = ['operatorRole', 'adminRole'];

/** The caller of the Motto-style API, from a verified platform token. */
export class PlatformPrincipal {
  readonly kind = 'platform';

  constructor(
    /** The token's `sub`: who acted, recorded in the entitlement history. */
    readonly subject: string,
    /** Project ids the token may act on; `'*'` for all. */
    readonly projects: '*' | readonly string[],
    /** Absent when the token's `role` claim is missing or unknown: such a token may do nothing. */
    readonly role: PlatformRole | undefined,
  ) {}

  get allProjects(): boolean {
    return this.projects === '*';
  }

  /** Does the token's role include `required`? */
  hasRole(required: PlatformRole): boolean {
    return this.role !== undefined && INCLUDES[this.role].includes(required);
  }

  canAccess(projectId: string): boolean {
    return this.projects === '*' || this.projects.includes(projectId);
  }

  /** Throws permission_denied unless the token has at least `minimum` on `projectId`. */
  requireProject(projectId: string, minimum: PlatformRole): void {
    if (!this.hasRole(minimum)) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        `this call needs the ${minimum} role (the token has ${this.role ?? 'no valid role'})`,
      );
    }
    if (!this.canAccess(projectId)) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        `the token does not grant access to project ${JSON.stringify(projectId)}`,
      );
    }
  }
}

/** The caller of the CRM-gateway API, from a verified Keycloak token. */
export class OperatorPrincipal {
  readonly kind = 'operator';

  constructor(
    readonly subject: string,
    readonly roles: readonly string[],
    /** From the tenants claim (name configurable), a list of strings; absent from the token: any tenant. */
    readonly tenants: readonly string[] | undefined,
  ) {}
}

export type Principal = PlatformPrincipal | OperatorPrincipal;
