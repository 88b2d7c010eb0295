import {
  ChangedResourceKind,
  ChangeEventType,
  EntitlementOrigin,
  OutboxEvent,
  ResourceSnapshot,
  WebhookDelivery,
  WebhookEndpoint,
} from '@app/domain';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { KeysetPage, keysetPage } from '../keyset-page';

/** A delivery the dispatcher claimed: the attempt to make, with its event and its endpoint. */
export interface ClaimedDelivery {
  deliveryId: string;
  /** This attempt's number (1 for the first). */
  attempt: number;
  deliveryCreatedAt: Date;
  endpointId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** The event's fields as the outbox row holds them (the dispatcher's own state columns aside). */
  event: Omit<OutboxEvent, 'fannedOutAt' | 'natsPending'>;
}

/** The outcome of one attempt, as the dispatcher records it. */
export type AttemptOutcome =
  | { ok: true; statusCode: number }
  | {
      ok: false;
      statusCode: number | null;
      error: string;
      /** When to try again; null: give up (the delivery fails for good). */
      retryAt: Date | null;
      /** Disable the endpoint when it has been failing since before this time. */
      disableIfFailingSince: Date;
    };

type Row = Record<string, unknown>;
const asDate = (v: unknown) =>
  v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;

/**
 * Webhook endpoints, their deliveries, and the queue operations of the dispatcher, on PostgreSQL alone:
 * the outbox is read by *state* (rows not yet fanned out, deliveries still pending), never by "the last
 * sequence number seen", so a transaction that commits after a later one is still picked up. Claims use
 * `FOR UPDATE SKIP LOCKED` and a lease (next_attempt_at moved past the attempt's timeout), so instances
 * share the work without delivering one attempt twice and without holding a connection during a POST.
 */
export class NotificationStore {
  constructor(private readonly em: EntityManager) {}

  // -- endpoints ---------------------------------------------------------------------------------

  async createEndpoint(endpoint: WebhookEndpoint): Promise<WebhookEndpoint> {
    this.em.persist(endpoint);
    await this.em.flush();
    return endpoint;
  }

  getEndpoint(projectId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.em.findOne(WebhookEndpoint, { projectId, id });
  }

  /** One page of the project's endpoints, oldest first (keyset on creation time, id). */
  listEndpoints(
    projectId: string,
    limit: number,
    after?: [string, string],
  ): Promise<KeysetPage<WebhookEndpoint, [string, string]>> {
    const where: Record<string, unknown>[] = [{ projectId }];
    if (after) {
      const at = new Date(after[0]);
      where.push({ $or: [{ createdAt: { $gt: at } }, { createdAt: at, id: { $gt: after[1] } }] });
    }
    return keysetPage(
      limit,
      (take) =>
        this.em.find(WebhookEndpoint, { $and: where }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: take }),
      (last) => [last.createdAt.toISOString(), last.id],
    );
  }

  /** Changes the endpoint under its row lock (`change` may throw: nothing changes). Null: no such endpoint. */
  async updateEndpoint(
    projectId: string,
    id: string,
    change: (e: WebhookEndpoint) => void | Promise<void>,
  ): Promise<WebhookEndpoint | null> {
    return this.em.transactional(async (em) => {
      const existing = await em.findOne(
        WebhookEndpoint,
        { projectId, id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!existing) return null;
      const wasDisabled = existing.disabledAt !== null;
      await change(existing);
      existing.updatedAt = new Date();
      await em.flush();
      // Re-enabled: its failing streak starts over.
      if (wasDisabled && existing.disabledAt === null) {
        await em.execute('update webhook_endpoint set failing_since = null where id = ?', [id]);
        existing.failingSince = null;
      }
      return existing;
    });
  }

  /** Deletes the endpoint and its delivery log. */
  async deleteEndpoint(projectId: string, id: string): Promise<boolean> {
    return (await this.em.nativeDelete(WebhookEndpoint, { projectId, id })) > 0;
  }

  /** The endpoint's deliveries, newest first (keyset on the delivery id). */
  listDeliveries(endpointId: string, limit: number, beforeId?: string): Promise<KeysetPage<WebhookDelivery, string>> {
    const where: Record<string, unknown> = { endpointId };
    if (beforeId !== undefined) where.id = { $lt: beforeId };
    return keysetPage(
      limit,
      (take) => this.em.find(WebhookDelivery, where, { orderBy: { id: 'desc' }, limit: take }),
      (last) => String(last.id),
    );
  }

  /**
   * Queues the event of a delivery again for its endpoint (a new delivery, due now, taking its place in
   * the resource's order by the event's sequence number). Null: no such delivery of the endpoint.
   */
  async redeliver(endpointId: string, deliveryId: string): Promise<WebhookDelivery | null> {
    const rows = await this.em.execute<Row[]>(
      `insert into webhook_delivery (endpoint_id, event_seq, event_id, event_type, resource_key, status, attempts,
         next_attempt_at, created_at)
       select endpoint_id, event_seq, event_id, event_type, resource_key, 'PENDING', 0, now(), now()
         from webhook_delivery where endpoint_id = ? and id = ?
       returning id`,
      [endpointId, deliveryId],
    );
    if (rows.length === 0) return null;
    return this.em.findOne(WebhookDelivery, { id: String(rows[0].id) });
  }

  // -- the dispatcher's queue ----------------------------------------------------------------------

  /**
   * Fans out up to `limit` outbox events not yet fanned out, in sequence order: one pending delivery per
   * enabled endpoint of the event's project that wants its type. One instance at a time (a transaction
   * advisory lock; the others skip the step), which with the row locks of the stores keeps the events of one
   * resource in order. `natsEnabled` false: the events are not queued for NATS either. Returns how many
   * events it took (0 also when another instance holds the step).
   */
  async fanOut(limit: number, natsEnabled: boolean): Promise<number> {
    return this.em.transactional(async (em) => {
      const [lock] = await em.execute<Row[]>(`select pg_try_advisory_xact_lock(hashtext('outbox-fan-out')) as ok`);
      if (!lock.ok) return 0;
      const rows = await em.execute<Row[]>(
        `with batch as (
           select seq from outbox_event where fanned_out_at is null order by seq limit ? for update skip locked
         ), marked as (
           update outbox_event o set fanned_out_at = now(), nats_pending = o.nats_pending and ?
             from batch where o.seq = batch.seq
           returning o.seq, o.event_id, o.type, o.project_id, o.resource_kind, o.resource_id
         ), queued as (
           insert into webhook_delivery (endpoint_id, event_seq, event_id, event_type, resource_key, status, attempts,
             next_attempt_at, created_at)
           select p.id, m.seq, m.event_id, m.type, m.resource_kind || ':' || m.resource_id, 'PENDING', 0, now(), now()
             from marked m
             join webhook_endpoint p
               on p.project_id = m.project_id and p.disabled_at is null and m.type = any(p.event_types)
            order by m.seq
           returning 1
         )
         select (select count(*) from marked) as events, (select count(*) from queued) as deliveries`,
        [limit, natsEnabled],
      );
      return Number(rows[0].events);
    });
  }

  /**
   * Publishes the events still to publish to NATS, in sequence order, one instance at a time: `publish`
   * is called for each in turn inside the transaction; the ones it published are marked. Stops at the first
   * failure (the rest wait for the next round, in order). Returns how many were published.
   */
  async publishPending(limit: number, publish: (event: ClaimedDelivery['event']) => Promise<void>): Promise<number> {
    return this.em.transactional(async (em) => {
      const [lock] = await em.execute<Row[]>(`select pg_try_advisory_xact_lock(hashtext('outbox-nats')) as ok`);
      if (!lock.ok) return 0;
      const rows = await em.execute<Row[]>(
        `select * from outbox_event where nats_pending and fanned_out_at is not null order by seq limit ? for update`,
        [limit],
      );
      const done: string[] = [];
      try {
        for (const row of rows) {
          await publish(eventOf(row));
          done.push(String(row.seq));
        }
      } finally {
        if (done.length > 0) {
          await em.execute(`update outbox_event set nats_pending = false where seq in (?)`, [done]);
        }
      }
      return done.length;
    });
  }

  /**
   * Claims up to `limit` due deliveries: pending, next_attempt_at passed, to an enabled endpoint, and no
   * earlier event of the same resource still pending for the same endpoint (in order per resource). Each
   * claimed delivery counts the attempt and is leased for `leaseMs` (its next_attempt_at moves past the
   * attempt), so no other instance takes it meanwhile; a crash leaves it to be retried when the lease ends.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.em.transactional((em) =>
      em.execute<Row[]>(
        `with picked as (
           select c.id from webhook_delivery c
            where c.status = 'PENDING' and c.next_attempt_at <= now()
              and exists (select 1 from webhook_endpoint p where p.id = c.endpoint_id and p.disabled_at is null)
              and not exists (
                select 1 from webhook_delivery e
                 where e.endpoint_id = c.endpoint_id and e.resource_key = c.resource_key
                   and e.status = 'PENDING' and e.event_seq < c.event_seq)
            order by c.next_attempt_at, c.id
            limit ?
            for update of c skip locked
         ), claimed as (
           update webhook_delivery d
              set attempts = d.attempts + 1, last_attempt_at = now(),
                  next_attempt_at = now() + make_interval(secs => ?::double precision / 1000)
             from picked where d.id = picked.id
           returning d.id, d.attempts, d.created_at, d.endpoint_id, d.event_seq
         )
         select c.id as delivery_id, c.attempts, c.created_at as delivery_created_at, p.id as endpoint_id, p.url,
                p.secret, p.previous_secret, p.previous_secret_expires_at, o.*
           from claimed c
           join webhook_endpoint p on p.id = c.endpoint_id
           join outbox_event o on o.seq = c.event_seq
          order by o.seq`,
        [limit, leaseMs],
      ),
    );
    return rows.map((r) => ({
      deliveryId: String(r.delivery_id),
      attempt: Number(r.attempts),
      deliveryCreatedAt: asDate(r.delivery_created_at)!,
      endpointId: String(r.endpoint_id),
      url: String(r.url),
      secret: String(r.secret),
      previousSecret: (r.previous_secret as string | null) ?? null,
      previousSecretExpiresAt: asDate(r.previous_secret_expires_at),
      event: eventOf(r),
    }));
  }

  /**
   * Records the outcome of an attempt: delivered (the endpoint's failing streak ends), retried at
   * `retryAt`, or failed for good. An endpoint failing since before `disableIfFailingSince` is disabled,
   * and its pending deliveries fail with it.
   */
  async recordAttempt(delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    await this.em.transactional(async (em) => {
      if (outcome.ok) {
        await em.execute(
          `update webhook_delivery set status = 'DELIVERED', finished_at = now(), last_status_code = ?, last_error = null
            where id = ?`,
          [outcome.statusCode, delivery.deliveryId],
        );
        await em.execute(
          `update webhook_endpoint set failing_since = null where id = ? and failing_since is not null`,
          [delivery.endpointId],
        );
        return;
      }
      const error = outcome.error.slice(0, 1024);
      if (outcome.retryAt) {
        await em.execute(
          `update webhook_delivery set next_attempt_at = ?, last_status_code = ?, last_error = ? where id = ?`,
          [outcome.retryAt, outcome.statusCode, error, delivery.deliveryId],
        );
      } else {
        await em.execute(
          `update webhook_delivery set status = 'FAILED', finished_at = now(), last_status_code = ?, last_error = ?
            where id = ?`,
          [outcome.statusCode, error, delivery.deliveryId],
        );
      }
      const [endpoint] = await em.execute<Row[]>(
        `update webhook_endpoint set failing_since = coalesce(failing_since, now()) where id = ?
         returning failing_since, disabled_at`,
        [delivery.endpointId],
      );
      const since = asDate(endpoint?.failing_since);
      if (endpoint && endpoint.disabled_at === null && since && since < outcome.disableIfFailingSince) {
        const reason = `disabled: every delivery failed since ${since.toISOString()} (last error: ${error})`.slice(
          0,
          512,
        );
        await em.execute(`update webhook_endpoint set disabled_at = now(), disabled_reason = ? where id = ?`, [
          reason,
          delivery.endpointId,
        ]);
        await em.execute(
          `update webhook_delivery set status = 'FAILED', finished_at = now(), last_error = 'the endpoint was disabled'
            where endpoint_id = ? and status = 'PENDING'`,
          [delivery.endpointId],
        );
      }
    });
  }

  /**
   * Forgets what is done and older than `before`: finished deliveries, then outbox events fanned out and
   * published whose deliveries are all finished (none pending). Returns how many events went.
   */
  async prune(before: Date): Promise<number> {
    return this.em.transactional(async (em) => {
      await em.execute(`delete from webhook_delivery where status <> 'PENDING' and created_at < ?`, [before]);
      const rows = await em.execute<Row[]>(
        `delete from outbox_event o
          where o.occurred_at < ? and o.fanned_out_at is not null and not o.nats_pending
            and not exists (select 1 from webhook_delivery d where d.event_seq = o.seq)
         returning o.seq`,
        [before],
      );
      return rows.length;
    });
  }

  /** Gives back deliveries claimed but not attempted (shutdown): due again now, the attempt not counted. */
  async release(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.em.execute(
      `update webhook_delivery set next_attempt_at = now(), attempts = greatest(attempts - 1, 0)
        where id in (?) and status = 'PENDING'`,
      [deliveryIds],
    );
  }
}

function eventOf(r: Row): ClaimedDelivery['event'] {
  const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as ResourceSnapshot) : (v as ResourceSnapshot));
  return {
    seq: String(r.seq),
    eventId: String(r.event_id),
    type: r.type as ChangeEventType,
    projectId: String(r.project_id),
    resourceKind: r.resource_kind as ChangedResourceKind,
    resourceId: String(r.resource_id),
    actor: String(r.actor),
    api: r.api as EntitlementOrigin,
    correlationId: String(r.correlation_id),
    occurredAt: asDate(r.occurred_at)!,
    before: r.before === null ? null : json(r.before),
    after: r.after === null ? null : json(r.after),
  };
}
