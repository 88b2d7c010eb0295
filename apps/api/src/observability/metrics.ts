import { AccessReason } from '@app/domain';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric name the service exports (README "Operations"; ops/alerts.yml and the dashboard use only these). */
export const METRIC_NAMES = {
  httpDuration: 'http_request_duration_seconds',
  dbPoolInUse: 'db_pool_connections_in_use',
  dbPoolIdle: 'db_pool_connections_idle',
  dbPoolWaiting: 'db_pool_acquires_waiting',
  dbPoolMax: 'db_pool_connections_max',
  accessDecisions: 'entitlements_access_decisions_total',
  playbackLive: 'entitlements_playback_sessions_live',
  playbackStarts: 'entitlements_playback_session_starts_total',
  rateLimited: 'entitlements_rate_limited_total',
  webhookDeliveries: 'entitlements_webhook_deliveries_total',
  webhookOldestAge: 'entitlements_webhook_oldest_undelivered_age_seconds',
} as const;

/** Label of the requests that matched no route (404s of unknown URLs): one series, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Durations from 1 ms: 1, 2.5, 5, 10, 20, 50 ms resolve the access check; the rest catch slow calls. */
export const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** What a webhook delivery attempt came to: delivered, failed (to be retried), gave_up (failed for good). */
export type WebhookDeliveryOutcome = 'delivered' | 'failed' | 'gave_up';

/** Read at scrape time; undefined leaves the gauge unset. */
export type Sampler = () => number | undefined | Promise<number | undefined>;

interface DbPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

type HistogramChild = ReturnType<Histogram<string>['labels']>;
type CounterChild = ReturnType<Counter<string>['labels']>;

/**
 * The service's Prometheus metrics, one registry per application instance (tests run several in one process).
 * Counters the request path touches have their label children created once (no hashing of label objects per
 * request). Other features report through the named methods below; values read at scrape time (pool, live
 * sessions, webhook backlog) are registered as samplers.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'route' | 'method' | 'status_code'>;
  /** route template → method → status → child: found without building a key per request. */
  private readonly httpChildren = new Map<string, Map<string, Map<number, HistogramChild>>>();
  private readonly decisionChildren = new Map<string, CounterChild>();
  private readonly accessDecisions: Counter<'reason'>;
  private readonly playbackStarts: Counter<'outcome' | 'reason'>;
  private readonly rateLimited: Counter<'api' | 'group' | 'scope'>;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private poolOf?: () => DbPool | undefined;
  private liveSessions?: Sampler;
  private oldestUndelivered?: Sampler;

  /** `runtime`: also prom-client's process and Node.js metrics (event-loop lag, memory, CPU, GC), sampled continuously. */
  constructor(options: { runtime: boolean } = { runtime: true }) {
    if (options.runtime) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    this.httpDuration = new Histogram({
      name: METRIC_NAMES.httpDuration,
      help: 'HTTP requests by route template, method and status: time from request to response sent.',
      labelNames: ['route', 'method', 'status_code'],
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
    const pool = (name: string, help: string, read: (p: DbPool) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect: () => {
          const p = this.pool();
          if (p) (this.registry.getSingleMetric(name) as Gauge).set(read(p));
        },
      });
    pool(METRIC_NAMES.dbPoolInUse, 'Database connections lent out to queries.', (p) => p.numUsed());
    pool(METRIC_NAMES.dbPoolIdle, 'Database connections open and idle.', (p) => p.numFree());
    pool(METRIC_NAMES.dbPoolWaiting, 'Queries waiting for a database connection.', (p) => p.numPendingAcquires());
    pool(METRIC_NAMES.dbPoolMax, 'The pool size (DB_POOL_MAX).', (p) => p.max);
    this.accessDecisions = new Counter({
      name: METRIC_NAMES.accessDecisions,
      help: 'Access decisions by reason (GRANTED or why not); session starts decide too.',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    for (const reason of Object.values(AccessReason))
      this.decisionChildren.set(reason, this.accessDecisions.labels(reason));
    this.playbackStarts = new Counter({
      name: METRIC_NAMES.playbackStarts,
      help: 'Playback session starts: outcome started or refused, with the refusal reason (none when started).',
      labelNames: ['outcome', 'reason'],
      registers: [this.registry],
    });
    this.sampled(
      METRIC_NAMES.playbackLive,
      'Playback sessions holding a slot now (all instances: read from the database).',
      () => this.liveSessions?.(),
    );
    this.rateLimited = new Counter({
      name: METRIC_NAMES.rateLimited,
      help: 'Requests answered 429 by the rate limiter, by API, route group and the limit hit (subject or project).',
      labelNames: ['api', 'group', 'scope'],
      registers: [this.registry],
    });
    this.webhookDeliveries = new Counter({
      name: METRIC_NAMES.webhookDeliveries,
      help: 'Webhook delivery attempts by outcome: delivered, failed (retried later), gave_up (failed for good).',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.sampled(
      METRIC_NAMES.webhookOldestAge,
      'Age of the oldest event not yet delivered to its webhook (0: none).',
      () => this.oldestUndelivered?.(),
    );
  }

  private sampled(name: string, help: string, read: () => ReturnType<Sampler> | undefined): void {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers: [this.registry],
      collect: async () => {
        const value = await read();
        if (value !== undefined) gauge.set(value);
      },
    });
  }

  private pool(): DbPool | undefined {
    try {
      return this.poolOf?.();
    } catch {
      return undefined;
    }
  }

  /** One HTTP request answered (the onResponse hook, see http-metrics.ts). */
  observeHttp(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.httpChildren.get(route);
    if (!byMethod) this.httpChildren.set(route, (byMethod = new Map<string, Map<number, HistogramChild>>()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map<number, HistogramChild>()));
    let child = byStatus.get(status);
    if (!child) byStatus.set(status, (child = this.httpDuration.labels(route, method, String(status))));
    child.observe(seconds);
  }

  /** One access decision made (AccessService). */
  accessDecision(reason: string): void {
    const child = this.decisionChildren.get(reason);
    if (child) child.inc();
    else this.accessDecisions.inc({ reason });
  }

  /** A playback session start: granted, or refused with the decision's reason. */
  playbackStart(granted: boolean, reason: string): void {
    if (granted) this.playbackStarts.inc({ outcome: 'started', reason: '' });
    else this.playbackStarts.inc({ outcome: 'refused', reason });
  }

  /** A request refused by the rate limiter. */
  rateLimitHit(api: 'motto' | 'crm', group: string, scope: 'subject' | 'project'): void {
    this.rateLimited.inc({ api, group, scope });
  }

  /** For the notifications feature: one webhook delivery attempt and how it ended. */
  webhookDelivery(outcome: WebhookDeliveryOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }

  /**
   * For the notifications feature: how to read the age in seconds of the oldest undelivered event (0 when
   * none), called at each scrape.
   */
  sampleOldestUndeliveredAge(sampler: Sampler): void {
    this.oldestUndelivered = sampler;
  }

  /** How to count live playback sessions (read at each scrape). */
  sampleLivePlaybackSessions(sampler: Sampler): void {
    this.liveSessions = sampler;
  }

  /** Where the database pool is (read at each scrape). */
  watchPool(poolOf: () => DbPool | undefined): void {
    this.poolOf = poolOf;
  }

  /** The Prometheus text exposition. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
