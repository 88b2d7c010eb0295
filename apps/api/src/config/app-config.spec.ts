import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultMaxConnections, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 3000,
      dataDir: './.data',
      migrateOnStart: true,
      logLevel: 'info',
    });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('does not migrate at start by default when DATABASE_URL is set, unless told to', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).migrateOnStart).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db', DB_MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
  });

  it('listens on every interface in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', AUTH_PLATFORM_ISSUERS: 'https://id.example.com' }).host).toBe(
      '0.0.0.0',
    );
  });

  it('is in development mode (own tokens) only without any issuer, and refuses that in production', () => {
    expect(loadConfig({}).auth.devMode).toBe(true);
    expect(loadConfig({ AUTH_KEYCLOAK_ISSUERS: 'https://kc.example.com/realms/ops' }).auth.devMode).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_PLATFORM_ISSUERS or AUTH_KEYCLOAK_ISSUERS must be set in production/,
    );
  });

  it('defaults the deadlines and HTTP limits, and caps connections below the open-file limit', () => {
    const c = loadConfig({});
    expect(c.timeouts).toEqual({ poolAcquireMs: 3000, connectMs: 3000, statementMs: 10000, requestDeadlineMs: 15000 });
    expect(c.http).toMatchObject({ requestTimeoutMs: 10000, idleTimeoutMs: 60000, keepAliveTimeoutMs: 72000 });
    expect(loadConfig({ HTTP_MAX_CONNECTIONS: '500' }).http.maxConnections).toBe(500);
    const dir = mkdtempSync(join(tmpdir(), 'limits-'));
    try {
      const file = join(dir, 'limits');
      writeFileSync(
        file,
        'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n',
      );
      expect(defaultMaxConnections(file)).toBe(819);
      expect(defaultMaxConnections(join(dir, 'none'))).toBe(1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => loadConfig({ REQUEST_DEADLINE_MS: '0' })).toThrow(/REQUEST_DEADLINE_MS must be an integer/);
  });

  it('requires AUTH_KEYCLOAK_AUDIENCE in production when Keycloak issuers are trusted', () => {
    const kc = { NODE_ENV: 'production', AUTH_KEYCLOAK_ISSUERS: 'https://kc.example.com/realms/ops' };
    expect(() => loadConfig(kc)).toThrow(/AUTH_KEYCLOAK_AUDIENCE must be set in production/);
    expect(loadConfig({ ...kc, AUTH_KEYCLOAK_AUDIENCE: 'entitlements-crm' }).auth.keycloakAudience).toBe(
      'entitlements-crm',
    );
    // Outside production it stays optional (development tokens, tests).
    expect(loadConfig({ AUTH_KEYCLOAK_ISSUERS: kc.AUTH_KEYCLOAK_ISSUERS }).auth.keycloakAudience).toBeUndefined();
  });

  it("derives each issuer's JWKS URL unless given, one per issuer", () => {
    const auth = loadConfig({
      AUTH_PLATFORM_ISSUERS: 'https://id.example.com,https://id2.example.com/',
      AUTH_KEYCLOAK_ISSUERS: 'https://kc.example.com/realms/ops',
      AUTH_KEYCLOAK_JWKS_URIS: 'https://kc.internal/certs',
    }).auth;
    expect(auth.platformIssuers).toEqual([
      { issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/.well-known/jwks.json' },
      { issuer: 'https://id2.example.com/', jwksUri: 'https://id2.example.com/.well-known/jwks.json' },
    ]);
    expect(auth.keycloakIssuers).toEqual([
      { issuer: 'https://kc.example.com/realms/ops', jwksUri: 'https://kc.internal/certs' },
    ]);
    expect(() =>
      loadConfig({ AUTH_PLATFORM_ISSUERS: 'https://a', AUTH_PLATFORM_JWKS_URIS: 'https://x,https://y' }),
    ).toThrow(/one JWKS URL per issuer/);
    expect(() => loadConfig({ AUTH_PLATFORM_ISSUERS: 'not a url' })).toThrow(
      /AUTH_PLATFORM_ISSUERS must be a comma-separated list/,
    );
  });

  it.each([
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    ['PORT', 'abc', 'PORT must be an integer from 0 to 65535 (got "abc")'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://x")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    ['DB_MIGRATE_ON_START', 'yes', 'DB_MIGRATE_ON_START must be true or false (got "yes")'],
    ['NODE_ENV', 'staging', 'NODE_ENV must be development, production or test (got "staging")'],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError([message]));
  });

  it('configures change notifications: 24 h of retries, private targets only in development or when allowed', () => {
    const prod = loadConfig({ NODE_ENV: 'production', AUTH_PLATFORM_ISSUERS: 'https://id.example.com' }).notifications;
    expect(prod).toMatchObject({
      dispatcher: true,
      allowPrivateTargets: false,
      retryWindowS: 86_400,
      secretGraceS: 86_400,
      backoffBaseMs: 30_000,
    });
    expect(prod.natsUrl).toBeUndefined();
    expect(loadConfig({}).notifications.allowPrivateTargets).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).notifications.allowPrivateTargets).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).notifications.allowPrivateTargets,
    ).toBe(true);
    expect(loadConfig({ NATS_URL: 'nats://127.0.0.1:4222' }).notifications).toMatchObject({
      natsUrl: 'nats://127.0.0.1:4222',
      natsStream: 'ENTITLEMENTS',
    });
    expect(() => loadConfig({ NATS_URL: 'http://127.0.0.1:4222' })).toThrow(/NATS_URL must be a nats:\/\/ URL/);
    expect(() => loadConfig({ WEBHOOK_POLL_MS: '0' })).toThrow(/WEBHOOK_POLL_MS must be an integer from 10 to 60000/);
  });
});
