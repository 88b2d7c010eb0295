import { readFileSync } from 'node:fs';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanString = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

/** A comma-separated list of http(s) URLs. */
const urlList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine(
    (list) => list.length > 0 && list.every((u) => /^https?:\/\/\S+$/.test(u)),
    'must be a comma-separated list of http(s) URLs',
  );

const integerString = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be an integer from ${min} to ${max}`);

export const RATE_LIMIT_GROUPS = ['access', 'reads', 'writes'] as const;
export type RateLimitGroup = (typeof RATE_LIMIT_GROUPS)[number];
/** RATE_LIMIT_ACCESS_PER_SUBJECT, ..., RATE_LIMIT_WRITES_PER_PROJECT: requests per window; unset, no such limit. */
const RATE_LIMIT_VARS = RATE_LIMIT_GROUPS.flatMap((group) =>
  (['SUBJECT', 'PROJECT'] as const).map((scope) => `RATE_LIMIT_${group.toUpperCase()}_PER_${scope}`),
);

/** The environment variables the service reads; each one is documented in the README's table. */
const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'must be development, production or test' })
    .default('development'),
  HOST: z.string().min(1, 'must not be empty').optional(),
  PORT: integerString(0, 65535).default('3000'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./.data'),
  DB_MIGRATE_ON_START: booleanString.optional(),
  DB_POOL_MAX: integerString(1, 1000).default('10'),
  DB_POOL_ACQUIRE_TIMEOUT_MS: integerString(100, 600_000).default('3000'),
  DB_CONNECT_TIMEOUT_MS: integerString(100, 600_000).default('3000'),
  DB_STATEMENT_TIMEOUT_MS: integerString(100, 3_600_000).default('10000'),
  REQUEST_DEADLINE_MS: integerString(100, 3_600_000).default('15000'),
  HTTP_REQUEST_TIMEOUT_MS: integerString(100, 3_600_000).default('10000'),
  HTTP_IDLE_TIMEOUT_MS: integerString(100, 3_600_000).default('60000'),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integerString(100, 3_600_000).default('72000'),
  HTTP_MAX_CONNECTIONS: integerString(1, 1_000_000).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_PRETTY: booleanString.default('false'),
  SHUTDOWN_TIMEOUT_MS: integerString(0, 600_000).default('4000'),
  AUTH_PLATFORM_ISSUERS: urlList.optional(),
  AUTH_PLATFORM_JWKS_URIS: urlList.optional(),
  AUTH_PLATFORM_AUDIENCE: z.string().min(1).default('entitlements-api'),
  AUTH_KEYCLOAK_ISSUERS: urlList.optional(),
  AUTH_KEYCLOAK_JWKS_URIS: urlList.optional(),
  AUTH_KEYCLOAK_AUDIENCE: z.string().min(1).optional(),
  AUTH_KEYCLOAK_TENANTS_CLAIM: z
    .string()
    .regex(/^[A-Za-z_][\w.-]*$/, 'must be a claim name')
    .default('tenants'),
  AUTH_CLOCK_TOLERANCE_S: integerString(0, 300).default('5'),
  CRM_DEFAULT_TENANT: z.string().min(1).optional(),
  PLAYBACK_LEASE_TTL_S: integerString(3, 3600).default('90'),
  // Operations (README "Operations"): metrics, tracing, rate limits.
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,}$/, 'must be at least 16 visible ASCII characters')
    .optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('entitlements-service'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('entitlements:rate-limit:'),
  RATE_LIMIT_WINDOW_S: integerString(1, 86_400).default('60'),
  ...Object.fromEntries(RATE_LIMIT_VARS.map((name) => [name, integerString(1, 100_000_000).optional()])),
  // Change notifications (README, "Change notifications").
  WEBHOOK_DISPATCHER: booleanString.default('true'),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanString.optional(),
  WEBHOOK_POLL_MS: integerString(10, 60_000).default('1000'),
  WEBHOOK_CONCURRENCY: integerString(1, 100).default('8'),
  WEBHOOK_TIMEOUT_MS: integerString(100, 60_000).default('10000'),
  WEBHOOK_BACKOFF_BASE_MS: integerString(1, 3_600_000).default('30000'),
  WEBHOOK_BACKOFF_MAX_MS: integerString(1, 86_400_000).default('7200000'),
  WEBHOOK_RETRY_WINDOW_S: integerString(0, 30 * 86_400).default('86400'),
  WEBHOOK_DISABLE_AFTER_S: integerString(0, 365 * 86_400).default('432000'),
  WEBHOOK_SECRET_GRACE_S: integerString(0, 30 * 86_400).default('86400'),
  WEBHOOK_MAX_BODY_BYTES: integerString(1024, 1_048_576).default('262144'),
  WEBHOOK_RETENTION_S: integerString(0, 3650 * 86_400).default('2592000'),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/\S+(,(nats|tls):\/\/\S+)*$/, 'must be a nats:// URL (comma-separated for several servers)')
    .optional(),
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a JetStream stream name (letters, digits, _ and -)')
    .default('ENTITLEMENTS'),
});

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Unset: the service runs an embedded PostgreSQL with its data in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  migrateOnStart: boolean;
  dbPoolMax: number;
  /** Deadlines: nothing waits forever on a database that is away or frozen (README, "Configuration"). */
  timeouts: TimeoutConfig;
  /** Limits of the HTTP server against slow or idle clients. */
  http: HttpLimits;
  logLevel: LogLevel;
  logPretty: boolean;
  shutdownTimeoutMs: number;
  /** How long a playback session holds its slot without a heartbeat; players beat every third of it. */
  playbackLeaseTtlS: number;
  auth: AuthConfig;
  notifications: NotificationsConfig;
  /** Bearer token of GET /metrics; unset: no /metrics route and no per-request metric work. */
  metricsToken?: string;
  /** Unset when no RATE_LIMIT_*_PER_* is set: no limiter at all. */
  rateLimit?: RateLimitConfig;
}

/** Requests allowed per window, per token subject and per project (CRM: tenant), for each route group. */
export interface RateLimitConfig {
  windowMs: number;
  limits: Record<RateLimitGroup, { subject?: number; project?: number }>;
  /** Set: the counters live in Redis, shared by every instance; unset: in this instance's memory. */
  redisUrl?: string;
  keyPrefix: string;
}

/** Change notifications: the webhook dispatcher and the NATS JetStream publisher. */
export interface NotificationsConfig {
  /** Run the dispatcher in this instance (every instance may; they share the queue). */
  dispatcher: boolean;
  /** Webhook URLs may be http:// and point at private, loopback or link-local addresses (tests, development). */
  allowPrivateTargets: boolean;
  pollMs: number;
  concurrency: number;
  timeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A delivery is retried until this long after it was queued, then fails for good. */
  retryWindowS: number;
  /** An endpoint whose every delivery failed for this long is disabled. */
  disableAfterS: number;
  /** After a rotation, the previous secret signs too for this long. */
  secretGraceS: number;
  maxBodyBytes: number;
  /** Finished deliveries and done outbox events older than this are deleted. */
  retentionS: number;
  natsUrl?: string;
  natsStream: string;
}

export interface TimeoutConfig {
  /** Longest wait for a pooled connection (knex/tarn acquire). */
  poolAcquireMs: number;
  /** Longest wait for a new connection to be established (pg connectionTimeoutMillis). */
  connectMs: number;
  /** PostgreSQL statement_timeout; the client gives up on an unanswered query 1 s later (pg query_timeout). */
  statementMs: number;
  /** A request not answered by then gets 503 (its remaining work is abandoned). */
  requestDeadlineMs: number;
}

export interface HttpLimits {
  /** Headers and body must have arrived within this (Node requestTimeout): a body declared and never sent is cut. */
  requestTimeoutMs: number;
  /** A socket without any traffic for this long is closed (Fastify connectionTimeout). */
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Open connections at most (Node maxConnections); further ones are closed at once. */
  maxConnections: number;
}

/**
 * Default connection cap: 80 % of the process's open-file limit (a socket is a file; the rest is left for the
 * database pool, logs and PostgreSQL's own), at most 10,000. 1,024 when the limit cannot be read.
 */
export function defaultMaxConnections(limitsFile = '/proc/self/limits'): number {
  try {
    const line = readFileSync(limitsFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    if (Number.isFinite(soft) && soft > 0) return Math.max(64, Math.min(10_000, Math.floor(soft * 0.8)));
  } catch {
    // not Linux: fall through
  }
  return 1024;
}

export interface TrustedIssuer {
  issuer: string;
  jwksUri: string;
}

export interface AuthConfig {
  /**
   * No issuer configured outside production: the service signs its own development tokens with a key
   * kept in DATA_DIR and trusts them (see README, "Authentication").
   */
  devMode: boolean;
  platformIssuers: TrustedIssuer[];
  platformAudience: string;
  keycloakIssuers: TrustedIssuer[];
  keycloakAudience?: string;
  keycloakTenantsClaim: string;
  clockToleranceSeconds: number;
  crmDefaultTenant?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable counts as unset, as shells and .env files often leave them so.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name} ${issue.message} (got ${JSON.stringify(present[name])})`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const issuers = (
    name: string,
    list: string[] | undefined,
    uris: string[] | undefined,
    wellKnown: string,
  ): TrustedIssuer[] => {
    if (uris && (!list || uris.length !== list.length)) {
      problems.push(`${name.replace('ISSUERS', 'JWKS_URIS')} must list one JWKS URL per issuer of ${name}`);
    }
    return (list ?? []).map((issuer, i) => ({
      issuer,
      jwksUri: uris?.[i] ?? `${issuer.replace(/\/$/, '')}${wellKnown}`,
    }));
  };
  const platformIssuers = issuers(
    'AUTH_PLATFORM_ISSUERS',
    e.AUTH_PLATFORM_ISSUERS,
    e.AUTH_PLATFORM_JWKS_URIS,
    '/.well-known/jwks.json',
  );
  const keycloakIssuers = issuers(
    'AUTH_KEYCLOAK_ISSUERS',
    e.AUTH_KEYCLOAK_ISSUERS,
    e.AUTH_KEYCLOAK_JWKS_URIS,
    '/protocol/openid-connect/certs',
  );
  const noIssuer = platformIssuers.length === 0 && keycloakIssuers.length === 0;
  if (noIssuer && e.NODE_ENV === 'production') {
    problems.push(
      'AUTH_PLATFORM_ISSUERS or AUTH_KEYCLOAK_ISSUERS must be set in production (development tokens are refused there)',
    );
  }
  if (e.NODE_ENV === 'production' && keycloakIssuers.length > 0 && !e.AUTH_KEYCLOAK_AUDIENCE) {
    problems.push(
      'AUTH_KEYCLOAK_AUDIENCE must be set in production when AUTH_KEYCLOAK_ISSUERS is (tokens minted for another client would be accepted)',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  const rateLimitOf = (name: string) => (e as Record<string, unknown>)[name] as number | undefined;
  const limits = Object.fromEntries(
    RATE_LIMIT_GROUPS.map((group) => [
      group,
      {
        subject: rateLimitOf(`RATE_LIMIT_${group.toUpperCase()}_PER_SUBJECT`),
        project: rateLimitOf(`RATE_LIMIT_${group.toUpperCase()}_PER_PROJECT`),
      },
    ]),
  ) as RateLimitConfig['limits'];
  const anyLimit = RATE_LIMIT_GROUPS.some((g) => limits[g].subject !== undefined || limits[g].project !== undefined);
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    migrateOnStart: e.DB_MIGRATE_ON_START ?? !e.DATABASE_URL,
    dbPoolMax: e.DB_POOL_MAX,
    timeouts: {
      poolAcquireMs: e.DB_POOL_ACQUIRE_TIMEOUT_MS,
      connectMs: e.DB_CONNECT_TIMEOUT_MS,
      statementMs: e.DB_STATEMENT_TIMEOUT_MS,
      requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    },
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS ?? defaultMaxConnections(),
    },
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    playbackLeaseTtlS: e.PLAYBACK_LEASE_TTL_S,
    metricsToken: e.METRICS_TOKEN,
    rateLimit: anyLimit
      ? { windowMs: e.RATE_LIMIT_WINDOW_S * 1000, limits, redisUrl: e.REDIS_URL, keyPrefix: e.RATE_LIMIT_KEY_PREFIX }
      : undefined,
    notifications: {
      dispatcher: e.WEBHOOK_DISPATCHER,
      allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? e.NODE_ENV === 'development',
      pollMs: e.WEBHOOK_POLL_MS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      backoffBaseMs: e.WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
      retryWindowS: e.WEBHOOK_RETRY_WINDOW_S,
      disableAfterS: e.WEBHOOK_DISABLE_AFTER_S,
      secretGraceS: e.WEBHOOK_SECRET_GRACE_S,
      maxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
      retentionS: e.WEBHOOK_RETENTION_S,
      natsUrl: e.NATS_URL,
      natsStream: e.NATS_STREAM,
    },
    auth: {
      devMode: noIssuer,
      platformIssuers,
      platformAudience: e.AUTH_PLATFORM_AUDIENCE,
      keycloakIssuers,
      keycloakAudience: e.AUTH_KEYCLOAK_AUDIENCE,
      keycloakTenantsClaim: e.AUTH_KEYCLOAK_TENANTS_CLAIM,
      clockToleranceSeconds: e.AUTH_CLOCK_TOLERANCE_S,
      crmDefaultTenant: e.CRM_DEFAULT_TENANT,
    },
  };
}
