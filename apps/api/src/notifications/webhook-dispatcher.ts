import { ClaimedDelivery, NotificationStore } from '@app/database';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, NotificationsConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from '../observability/metrics';
import { eventBody } from './event-payload';
import { NatsPublisher } from './nats-publisher';
import { resolveTarget, TargetRefused } from './target-guard';
import { signatureHeader } from './webhook-signature';
import { postWebhook, SendResult } from './webhook-sender';

/** Outbox events fanned out per round. */
const FAN_OUT_BATCH = 500;
/** Events published to NATS per round. */
const NATS_BATCH = 200;
/** How often an instance prunes what is older than WEBHOOK_RETENTION_S. */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * The dispatcher, run by every instance (unless WEBHOOK_DISPATCHER=false): every WEBHOOK_POLL_MS (at
 * once while there is work) it fans new outbox events out to webhook deliveries, claims due deliveries up
 * to WEBHOOK_CONCURRENCY in flight, and POSTs them signed; a second loop publishes events to NATS. All the
 * state is in PostgreSQL (NotificationStore); no connection is held while a receiver answers, and API
 * requests never wait for any of it.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('WebhookDispatcher');
  private readonly config: NotificationsConfig;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  /** An attempt ended during a round: start the next one at once (the resource's next event may be due). */
  private wake = false;
  private natsTimer?: NodeJS.Timeout;
  private natsRound?: Promise<void>;
  private nats?: NatsPublisher;
  private natsFailing = false;
  private lastPrune = 0;

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.config = config.notifications;
    // Read at each scrape of /metrics: the oldest event not delivered yet (queued, or not even fanned out).
    metrics.sampleOldestUndeliveredAge(async () => {
      try {
        const rows = await this.em.getConnection().execute<{ age: number }[]>(
          `select coalesce(extract(epoch from now() - least(
             (select min(created_at) from webhook_delivery where status = 'PENDING'),
             (select min(occurred_at) from outbox_event where fanned_out_at is null))), 0)::float8 as age`,
        );
        return rows[0]?.age;
      } catch {
        return undefined;
      }
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.dispatcher) return;
    if (this.config.natsUrl) {
      this.nats = new NatsPublisher(this.config.natsUrl, this.config.natsStream);
      this.scheduleNats(0);
    }
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.natsTimer);
    this.shutdown.abort();
    await Promise.allSettled([this.round, this.natsRound, ...this.inFlight]);
    await this.nats?.close();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.round) return;
      this.round = this.runRound()
        .catch((err: unknown) => {
          this.log.error({ err }, 'webhook dispatch round failed');
          return false;
        })
        .then((more) => {
          this.round = undefined;
          const now = more || this.wake;
          this.wake = false;
          this.schedule(now ? 0 : this.config.pollMs);
        });
    }, ms);
  }

  /** One round: fan out, then claim what the free slots allow. True: more work is probably waiting. */
  private async runRound(): Promise<boolean> {
    const store = this.store();
    if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      const pruned = await store.prune(new Date(Date.now() - this.config.retentionS * 1000));
      if (pruned > 0) this.log.log({ pruned }, 'pruned old outbox events');
    }
    const fanned = await store.fanOut(FAN_OUT_BATCH, this.nats !== undefined);
    const free = this.config.concurrency - this.inFlight.size;
    if (free <= 0 || this.stopped) return false;
    const claimed = await store.claimDue(free, 2 * this.config.timeoutMs + 1000);
    for (const delivery of claimed) {
      const attempt = this.attempt(delivery)
        // Recording failed (the database went away): the lease runs out and the delivery is tried again.
        .catch((err: unknown) =>
          this.log.error({ err, deliveryId: delivery.deliveryId }, 'recording a webhook attempt failed'),
        )
        .finally(() => {
          this.inFlight.delete(attempt);
          // A slot is free, and the resource's next event may now be due.
          if (this.round) this.wake = true;
          else this.schedule(0);
        });
      this.inFlight.add(attempt);
    }
    return fanned === FAN_OUT_BATCH || claimed.length === free;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { event } = delivery;
    const body = eventBody(event, this.config.maxBodyBytes);
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = [delivery.secret];
    if (delivery.previousSecret && delivery.previousSecretExpiresAt && delivery.previousSecretExpiresAt > new Date()) {
      secrets.push(delivery.previousSecret);
    }
    const headers = {
      'webhook-id': event.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secrets, event.eventId, timestamp, body),
      'user-agent': 'entitlements-service-webhooks/1',
    };
    let result: SendResult;
    try {
      const target = await resolveTarget(delivery.url, this.config.allowPrivateTargets);
      result = await postWebhook(target, headers, body, this.config.timeoutMs, this.shutdown.signal);
    } catch (err) {
      result = {
        statusCode: null,
        error: err instanceof TargetRefused ? `refused: ${err.message}` : String(err),
      };
    }
    const store = this.store();
    if (this.stopped && result.statusCode === null) {
      // Cut short by the shutdown: due again at once (on this instance's restart, or any other).
      await store.release([delivery.deliveryId]).catch(() => undefined);
      return;
    }
    if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300) {
      await store.recordAttempt(delivery, { ok: true, statusCode: result.statusCode });
      this.metrics.webhookDelivery('delivered');
      return;
    }
    const now = Date.now();
    const error = result.error ?? `the endpoint answered HTTP ${result.statusCode}`;
    const retryAt = this.retryAt(delivery, now);
    await store.recordAttempt(delivery, {
      ok: false,
      statusCode: result.statusCode,
      error,
      retryAt,
      disableIfFailingSince: new Date(now - this.config.disableAfterS * 1000),
    });
    this.metrics.webhookDelivery(retryAt ? 'failed' : 'gave_up');
    this.log.warn(
      { endpointId: delivery.endpointId, eventId: event.eventId, attempt: delivery.attempt, error },
      'webhook delivery failed',
    );
  }

  /**
   * Exponential backoff with jitter: base * 2^(attempt-1), at most WEBHOOK_BACKOFF_MAX_MS, times a random
   * factor from 0.75 to 1.25, until WEBHOOK_RETRY_WINDOW_S after the delivery was queued (the last attempt
   * falls at the window's end); null after that: failed for good.
   */
  private retryAt(delivery: ClaimedDelivery, now: number): Date | null {
    const deadline = delivery.deliveryCreatedAt.getTime() + this.config.retryWindowS * 1000;
    if (now >= deadline) return null;
    const exponential = this.config.backoffBaseMs * 2 ** Math.min(delivery.attempt - 1, 40);
    const delay = Math.min(this.config.backoffMaxMs, exponential) * (0.75 + Math.random() * 0.5);
    return new Date(Math.min(now + delay, deadline));
  }

  private scheduleNats(ms: number): void {
    if (this.stopped) return;
    this.natsTimer = setTimeout(() => {
      this.natsRound = this.publishRound().then((more) => {
        this.natsRound = undefined;
        this.scheduleNats(more ? 0 : this.natsFailing ? Math.max(this.config.pollMs, 1000) : this.config.pollMs);
      });
    }, ms);
  }

  private async publishRound(): Promise<boolean> {
    const nats = this.nats!;
    try {
      const published = await this.store().publishPending(NATS_BATCH, (event) =>
        nats.publish(event, eventBody(event, this.config.maxBodyBytes)),
      );
      if (this.natsFailing) this.log.log('publishing to NATS again');
      this.natsFailing = false;
      return published === NATS_BATCH;
    } catch (err) {
      if (!this.natsFailing) this.log.error({ err }, 'publishing to NATS failed; retrying');
      this.natsFailing = true;
      return false;
    }
  }

  private store(): NotificationStore {
    return new NotificationStore(this.em.fork());
  }
}
