import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike, SignJWT } from 'jose';
import { PlatformRole } from './principal';

/** Issuers of the development tokens (development mode only; see README "Authentication"). */
export const DEV_PLATFORM_ISSUER = 'http://localhost/entitlements-dev';
export const DEV_KEYCLOAK_ISSUER = 'http://localhost/realms/entitlements-dev';
export const DEV_ALGORITHM = 'ES256';

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

/**
 * The local signing key of development mode, kept in `<DATA_DIR>/dev-signing-key.json` so tokens stay
 * valid across restarts. The service trusts it and publishes its public half at /.well-known/jwks.json;
 * `npm run token` signs with it.
 */
export class DevSigningKey {
  private constructor(
    readonly kid: string,
    private readonly privateKey: KeyLike,
    readonly publicJwk: JWK,
  ) {}

  static async loadOrCreate(dataDir: string): Promise<DevSigningKey> {
    const file = join(resolve(dataDir), 'dev-signing-key.json');
    if (!existsSync(file)) {
      mkdirSync(resolve(dataDir), { recursive: true });
      const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
      const stored: StoredKey = { kid: randomUUID(), privateJwk: await exportJWK(privateKey) };
      // Written aside and renamed: two processes starting at once never read half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
      if (!existsSync(file)) renameSync(tmp, file);
      chmodSync(file, 0o600);
    }
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
    const privateKey = (await importJWK(stored.privateJwk, DEV_ALGORITHM)) as KeyLike;
    const { d: _d, ...publicJwk } = stored.privateJwk;
    return new DevSigningKey(stored.kid, privateKey, { ...publicJwk, kid: stored.kid, alg: DEV_ALGORITHM, use: 'sig' });
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** A platform token (Motto-style API): the projects it may act on (`*`: all) and its role. */
  platformToken(opts: {
    projects: string[];
    role: PlatformRole;
    audience: string;
    subject?: string;
    ttlSeconds?: number;
  }): Promise<string> {
    return this.sign(
      { projects: opts.projects, role: opts.role },
      DEV_PLATFORM_ISSUER,
      opts.audience,
      opts.subject ?? `dev-${opts.role}`,
      opts.ttlSeconds,
    );
  }

  /** A Keycloak-style access token (CRM gateway): realm roles and, optionally, the tenants it may use. */
  keycloakToken(opts: {
    roles: string[];
    tenants?: string[];
    tenantsClaim: string;
    audience?: string;
    subject?: string;
    ttlSeconds?: number;
  }): Promise<string> {
    const claims: Record<string, unknown> = { realm_access: { roles: opts.roles }, azp: 'crm-dev', typ: 'Bearer' };
    if (opts.tenants) claims[opts.tenantsClaim] = opts.tenants;
    return this.sign(
      claims,
      DEV_KEYCLOAK_ISSUER,
      opts.audience ?? 'account',
      opts.subject ?? 'dev-operator',
      opts.ttlSeconds,
    );
  }

  private sign(
    claims: Record<string, unknown>,
    issuer: string,
    audience: string,
    subject: string,
    ttlSeconds = 3600,
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: DEV_ALGORITHM, kid: this.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }
}
