import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ExtractJwt, Strategy, StrategyOptionsWithRequest } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ACCEPTED_ALGORITHMS, KeyResolver } from './key-resolver';
import { OperatorPrincipal, PLATFORM_ROLES, PlatformPrincipal, PlatformRole } from './principal';

export const PLATFORM_KEYS = Symbol('PLATFORM_KEYS');
export const KEYCLOAK_KEYS = Symbol('KEYCLOAK_KEYS');

function strategyOptions(
  keys: KeyResolver,
  audience: string | undefined,
  clockTolerance: number,
): StrategyOptionsWithRequest {
  return {
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    algorithms: [...ACCEPTED_ALGORITHMS],
    issuer: keys.issuers,
    audience,
    jsonWebTokenOptions: { clockTolerance },
    passReqToCallback: true,
    secretOrKeyProvider: (_req, rawJwt: string, done) => {
      let issuer: unknown;
      let kid: unknown;
      try {
        kid = decodeProtectedHeader(rawJwt).kid;
        issuer = decodeJwt(rawJwt).iss;
      } catch {
        return done(new Error('malformed token'));
      }
      keys.publicKey(issuer, kid).then(
        // jsonwebtoken takes a KeyObject as it takes a PEM (its typings here say string | Buffer).
        (key) => done(null, key as unknown as string),
        (err: Error) => done(err),
      );
    },
  };
}

/**
 * jsonwebtoken checks `exp` only when present: a token without one would be valid forever. Both APIs
 * refuse it (passport turns the error into 401 / CRM 403 4030).
 */
function requireExpiry(payload: Record<string, unknown>): void {
  if (typeof payload.exp !== 'number') throw new Error('the token has no expiry (exp)');
}

/** Platform tokens (Motto-style API): claims `projects` (ids, or `*`) and `role`. */
@Injectable()
export class PlatformJwtStrategy extends PassportStrategy(Strategy, 'platform-jwt') {
  constructor(@Inject(PLATFORM_KEYS) keys: KeyResolver, @Inject(APP_CONFIG) config: AppConfig) {
    super(strategyOptions(keys, config.auth.platformAudience, config.auth.clockToleranceSeconds));
  }

  validate(_req: unknown, payload: Record<string, unknown>): PlatformPrincipal {
    requireExpiry(payload);
    const role = PLATFORM_ROLES.includes(payload.role as PlatformRole) ? (payload.role as PlatformRole) : undefined;
    const claim = payload.projects;
    const list = Array.isArray(claim)
      ? claim.filter((p): p is string => typeof p === 'string')
      : typeof claim === 'string'
        ? [claim]
        : [];
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a verified token's claim; kept as before
    return new PlatformPrincipal(String(payload.sub ?? ''), list.includes('*') ? '*' : list, role);
  }
}

/** Keycloak access tokens (CRM gateway): `realm_access.roles`, and optionally a tenants claim. */
@Injectable()
export class KeycloakJwtStrategy extends PassportStrategy(Strategy, 'keycloak-jwt') {
  constructor(
    @Inject(KEYCLOAK_KEYS) keys: KeyResolver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(strategyOptions(keys, config.auth.keycloakAudience, config.auth.clockToleranceSeconds));
  }

  validate(_req: unknown, payload: Record<string, unknown>): OperatorPrincipal {
    requireExpiry(payload);
    const realmAccess = payload.realm_access as { roles?: unknown } | undefined;
    const roles = Array.isArray(realmAccess?.roles)
      ? realmAccess.roles.filter((r): r is string => typeof r === 'string')
      : [];
    const name = this.config.auth.keycloakTenantsClaim;
    const claim = payload[name];
    // Absent: any tenant. Present, it must be a list of strings: anything else (an object, null, a number, a
    // string, a list with a non-string) is refused rather than read as "unrestricted" (fail closed).
    if (claim !== undefined && !(Array.isArray(claim) && claim.every((t) => typeof t === 'string'))) {
      throw new Error(`the ${name} claim must be a list of tenant ids`);
    }
    const tenants = claim;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a verified token's claim; kept as before
    return new OperatorPrincipal(String(payload.sub ?? ''), roles, tenants);
  }
}
