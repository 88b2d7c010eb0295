/**
 * The floor: a bare Fastify + node-postgres server answering each measured path with the SQL statements the
 * service runs for it (captured from the service with log_statement = all: same tables, indexes, statement
 * shapes and transaction shape), and nothing else: no framework, validation, auth, logging or domain rules
 * beyond picking the row to act on. What the service costs above this is the price of everything it adds.
 *
 *   node -r ts-node/register/transpile-only bench/floor.ts   (DATABASE_URL, PORT, DB_POOL_MAX)
 *
 * Differences kept on purpose: the response bodies are JSON of the rows read, not the service's wire mapping (an
 * access decision answers with the entitlement and the offer rows naming each content, as the service answers
 * with the granting entitlement and the paywall offers).
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Pool, PoolClient } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
const app = Fastify({ logger: false });

type Row = Record<string, unknown>;
interface ContentIn {
  kind: string;
  id: string;
  entity_ids?: string[];
}
interface AccessIn {
  project_id: string;
  user_id: string;
  content?: ContentIn;
  contents?: ContentIn[];
  country_code: string;
  device_id?: string;
}

const textArray = (n: number) => `array(select jsonb_array_elements_text($${n}::jsonb))`;
/** access-store.ts CATALOG_SQL (the offers with their row version, JSON columns as text, as the service reads them). */
const OFFER_SELECT = `o.id, o.project_id, o.name, o.localized_title::text as localized_title,
  o.localized_description::text as localized_description, o.cleeng_offer_id, o.applies_to_all, o.target::text as target,
  o.localized_logo_asset_id::text as localized_logo_asset_id, o.localized_image_asset_id::text as localized_image_asset_id,
  o.offer_prices::text as offer_prices, o.priority, o.concurrency_limit, o.visibility, o.video_protection_ruleset_id,
  o.created_at, o.updated_at, o.xmin::text || '/' || o.ctid::text as o_version`;
const CATALOG_SQL = `
select p.id as p_id, p.name as p_name, p.settings as p_settings, p.created_at as p_created_at,
       p.updated_at as p_updated_at, o.*
from project p
left join lateral (
  select ${OFFER_SELECT} from offer o where o.project_id = p.id and o.applies_to_all
  union all
  select named.* from (
    select distinct c.offer_id from offer_content c
    where c.project_id = p.id
      and ((c.kind = 'EVENT' and c.content_id = any(${textArray(1)}))
        or (c.kind = 'CREATIVE_WORK' and c.content_id = any(${textArray(2)}))
        or (c.kind = 'ENTITY' and c.content_id = any(${textArray(3)})))
  ) ids
  cross join lateral (
    select ${OFFER_SELECT} from offer o
    where o.id = ids.offer_id and not o.applies_to_all limit 1
  ) named
) o on true
where p.id = $4`;

/** The two reads of a decision: the catalog, then the viewer's entitlements to the candidate offers. */
async function decide(db: Pool | PoolClient, req: AccessIn, contents: ContentIn[]) {
  const ids = (kind: string) => JSON.stringify(contents.filter((c) => c.kind === kind).map((c) => c.id));
  const entities = JSON.stringify([...new Set(contents.flatMap((c) => c.entity_ids ?? []))]);
  const catalog = await db.query<Row>(CATALOG_SQL, [ids('EVENT'), ids('CREATIVE_WORK'), entities, req.project_id]);
  const offers = catalog.rows.filter((r) => r.id !== null);
  if (offers.length === 0) return { offers, entitlements: [] as Row[] };
  // access-store.ts VIEWER_ENTITLEMENTS_SQL.
  const entitlements = await db.query<Row>(
    `select * from entitlement where project_id = $1 and subject_id = $2 and product_id = any(${textArray(3)})`,
    [req.project_id, req.user_id, JSON.stringify(offers.map((o) => o.id))],
  );
  return { offers, entitlements: entitlements.rows };
}

function granting(entitlements: Row[], now: Date): Row | undefined {
  return entitlements.find(
    (e) =>
      e.status === 'ACTIVE' &&
      (e.valid_until === null || (e.valid_until as Date) > now) &&
      (e.valid_from === null || (e.valid_from as Date) <= now),
  );
}

async function inTransaction<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const projectOf = (id: string) => pool.query('select "p0".* from "project" as "p0" where "p0"."id" = $1 limit 1', [id]);

app.get('/health/live', () => ({ status: 'ok' }));
app.get('/health/ready', async () => {
  await pool.query('select 1');
  return { status: 'ok' };
});

/**
 * The offer rows read that name the content (or apply to all): what a decision lists as its paywall, so the floor
 * sends the same information the service does (a text match on the target, not the domain's rules).
 */
const paywall = (offers: Row[], c: ContentIn) =>
  offers.filter(
    (o) =>
      o.applies_to_all === true ||
      [c.id, ...(c.entity_ids ?? [])].some((id) => (o.target as string).includes(JSON.stringify(id))),
  );

/** One decision's body: the content, the granting entitlement (if any) and the paywall. */
const accessCheck = (c: ContentIn, e: Row | undefined, offers: Row[]) => ({
  content: c.id,
  granted: Boolean(e),
  entitlement: e ?? null,
  offers: paywall(offers, c),
});

app.post('/monetization/access-checks/v1', async (request) => {
  const body = request.body as AccessIn;
  const { offers, entitlements } = await decide(pool, body, [body.content!]);
  const e = granting(entitlements, new Date());
  return { access_check: accessCheck(body.content!, e, offers) };
});

app.post('/monetization/access-checks/v1/batch', async (request) => {
  const body = request.body as AccessIn;
  const { offers, entitlements } = await decide(pool, body, body.contents!);
  const e = granting(entitlements, new Date());
  return { access_checks: body.contents!.map((c) => accessCheck(c, e, offers)) };
});

const LEASE_MS = 90_000;

app.post('/monetization/playback-sessions/v1', async (request, reply) => {
  const body = request.body as AccessIn;
  const now = new Date();
  const { offers, entitlements } = await decide(pool, body, [body.content!]);
  const e = granting(entitlements, now);
  if (!e) return reply.code(403).send({ code: 'permission_denied' });
  const offer = offers.find((o) => o.id === e.product_id);
  const limit = Number(e.concurrency_limit ?? offer?.concurrency_limit ?? Infinity);
  return inTransaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `playback:${body.project_id}:${body.user_id}`,
    ]);
    const live = await tx.query<Row>(
      `select "p0".* from "playback_session" as "p0" where "p0"."project_id" = $1 and "p0"."subject_id" = $2
       and "p0"."ended_at" is null and "p0"."lease_until" > $3 order by "p0"."started_at" asc, "p0"."id" asc`,
      [body.project_id, body.user_id, now],
    );
    // Same device again replaces its session; a full entitlement evicts its oldest (EVICT_OLDEST).
    const mine = live.rows.filter((s) => s.entitlement_id === e.id);
    const ending = mine.find((s) => s.device_id === body.device_id) ?? (mine.length >= limit ? mine[0] : undefined);
    if (ending) {
      await tx.query('update "playback_session" set "ended_at" = $1, "end_reason" = $2 where "id" = $3', [
        now,
        ending.device_id === body.device_id ? 'REPLACED' : 'EVICTED',
        ending.id,
      ]);
    }
    const id = randomUUID();
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    await tx.query(
      `insert into "playback_session" ("id", "project_id", "subject_id", "entitlement_id", "offer_id", "device_id",
       "content_kind", "content_id", "country_code", "basis", "started_at", "lease_until")
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        id,
        body.project_id,
        body.user_id,
        e.id,
        e.product_id,
        body.device_id,
        body.content!.kind,
        body.content!.id,
        body.country_code,
        'ENTITLEMENT',
        now,
        leaseUntil,
      ],
    );
    return {
      playback_session: { id, expire_time: leaseUntil.toISOString(), state: 'ACTIVE' },
      access_check: accessCheck(body.content!, e, offers),
    };
  });
});

/** playback-store.ts HEARTBEAT_SQL. */
const HEARTBEAT_SQL = `
update playback_session s set lease_until = $1
where s.id = $2 and s.project_id = $3 and s.ended_at is null and s.lease_until > $4
  and (s.rental_until is null or s.rental_until > $4)
  and exists (
    select 1 from entitlement e
    where e.project_id = s.project_id and e.id = s.entitlement_id and e.status = 'ACTIVE'
      and (e.valid_until is null or e.valid_until > $4) and (e.valid_from is null or e.valid_from <= $4)
  )
returning s.*`;

app.post('/monetization/playback-sessions/v1/:id/heartbeat', async (request) => {
  const { id } = request.params as { id: string };
  const { project_id } = request.query as { project_id: string };
  const now = new Date();
  const rows = await pool.query<Row>(HEARTBEAT_SQL, [new Date(now.getTime() + LEASE_MS), id, project_id, now]);
  return { playback_session: rows.rows[0] ?? { id, state: 'ENDED' } };
});

app.get('/monetization/entitlements/v1', async (request) => {
  const { project_id, filter } = request.query as { project_id: string; filter: string };
  const userId = filter.replace(/^user_id:/, '');
  // No project read: the service remembers that a project exists after its first request (projects are never
  // deleted), as it does for the upsert below. The CRM paths still read it: their tenant guard needs the settings.
  const rows = await pool.query<Row>(
    `select "e0".* from "entitlement" as "e0" where "e0"."project_id" = $1 and "e0"."subject_id" = $2
     order by "e0"."created_at" asc, "e0"."id" asc limit 51`,
    [project_id, userId],
  );
  return { entitlements: rows.rows.slice(0, 50), next_page_token: rows.rows.length > 50 ? 'more' : '' };
});

app.get('/crm-gateway/v1/rmg/v1/entitlements', async (request) => {
  const tenant = request.headers['nv-tenant-id'] as string;
  const { accountId } = JSON.parse((request.query as { filter: string }).filter) as { accountId: string };
  await projectOf(tenant);
  const count = await pool.query<{ count: string }>(
    'select count(*) as "count" from "entitlement" as "e0" where "e0"."project_id" = $1 and "e0"."subject_id" = $2',
    [tenant, accountId],
  );
  const rows = await pool.query<Row>(
    `select "e0".* from "entitlement" as "e0" where "e0"."project_id" = $1 and "e0"."subject_id" = $2
     order by "e0"."created_at" asc, "e0"."id" asc limit 100`,
    [tenant, accountId],
  );
  return { totalRecords: Number(count.rows[0].count), resourceSet: rows.rows };
});

const EVENT_SQL = `insert into "entitlement_event" ("project_id", "entitlement_id", "subject_id", "product_id", "kind",
  "before", "after", "changed_fields", "actor", "api", "correlation_id", "occurred_at")
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;
/** The change notification's outbox row, in the same transaction (libs/database/src/notifications/outbox.ts). */
const OUTBOX_SQL = `insert into "outbox_event" ("event_id", "type", "project_id", "resource_kind", "resource_id", "actor",
  "api", "correlation_id", "occurred_at", "before", "after") values ($1, $2, $3, 'entitlement', $4, $5, $6, $7, $8, $9, $10)`;

/** The caller's correlation id, or a new one (the service's rule, without its format check). */
const correlationIdOf = (request: { headers: Record<string, string | string[] | undefined> }): string => {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' ? given : randomUUID();
};

interface Change {
  projectId: string;
  entitlementId: string;
  subjectId: string;
  productId: string;
  kind: 'CREATED' | 'UPDATED';
  before: unknown;
  after: object;
  fields: string[];
  actor: string;
  api: 'MOTTO' | 'CRM';
  correlationId: string;
  at: Date;
}

/** One change's history row and its outbox row, in the change's transaction (as EntitlementTx records them). */
async function recordChange(tx: PoolClient, c: Change): Promise<void> {
  const before = c.before === null ? null : JSON.stringify(c.before);
  const after = JSON.stringify(c.after);
  await tx.query(EVENT_SQL, [
    c.projectId,
    c.entitlementId,
    c.subjectId,
    c.productId,
    c.kind,
    before,
    after,
    c.fields,
    c.actor,
    c.api,
    c.correlationId,
    c.at,
  ]);
  await tx.query(OUTBOX_SQL, [
    randomUUID(),
    `entitlement.${c.kind.toLowerCase()}`,
    c.projectId,
    c.entitlementId,
    c.actor,
    c.api,
    c.correlationId,
    c.at,
    before,
    after,
  ]);
}

interface UpsertIn {
  project_id: string;
  user_id: string;
  offer_id: string;
  expiration_time?: string;
  origin_country_code?: string;
  source_type?: string;
  source_id?: string;
}

app.post('/monetization/entitlements/v1', async (request, reply) => {
  const b = request.body as UpsertIn;
  const now = new Date();
  const result = await inTransaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `motto:${b.project_id}:${b.user_id}:${b.offer_id}`,
    ]);
    const offer = await tx.query('select 1 from "offer" where "project_id" = $1 and "id" = $2 for share', [
      b.project_id,
      b.offer_id,
    ]);
    if (offer.rowCount === 0) return null;
    const found = await tx.query<Row>(
      `select "e0".* from "entitlement" as "e0" where "e0"."project_id" = $1 and "e0"."subject_id" = $2
       and "e0"."product_id" = $3 and "e0"."origin" = 'MOTTO' limit 1 for update`,
      [b.project_id, b.user_id, b.offer_id],
    );
    const after = {
      projectId: b.project_id,
      subjectId: b.user_id,
      productId: b.offer_id,
      validUntil: b.expiration_time ?? null,
      status: 'ACTIVE',
      originCountryCode: b.origin_country_code ?? null,
      sourceType: b.source_type ?? null,
      sourceId: b.source_id ?? null,
      origin: 'MOTTO',
    };
    const existing = found.rows[0];
    const id = (existing?.id as string | undefined) ?? randomUUID();
    const change = (kind: Change['kind'], before: unknown, fields: string[]) =>
      recordChange(tx, {
        projectId: b.project_id,
        entitlementId: id,
        subjectId: b.user_id,
        productId: b.offer_id,
        kind,
        before,
        after: { id, ...after },
        fields,
        actor: 'bench-editor',
        api: 'MOTTO',
        correlationId: correlationIdOf(request),
        at: now,
      });
    if (existing) {
      await change('UPDATED', existing, ['validUntil', 'sourceId']);
      await tx.query(
        `update "entitlement" set "valid_until" = $1, "source_id" = $2, "updated_at" = $3
         where "project_id" = $4 and "id" = $5`,
        [b.expiration_time ?? null, b.source_id ?? null, now, b.project_id, id],
      );
    } else {
      await change('CREATED', null, Object.keys(after));
      await tx.query(
        `insert into "entitlement" ("project_id", "id", "subject_id", "product_id", "valid_until", "status",
         "origin_country_code", "source_type", "source_id", "origin", "created_at", "updated_at")
         values ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7, $8, 'MOTTO', $9, $9)`,
        [
          b.project_id,
          id,
          b.user_id,
          b.offer_id,
          b.expiration_time ?? null,
          b.origin_country_code ?? null,
          b.source_type ?? null,
          b.source_id ?? null,
          now,
        ],
      );
    }
    return { entitlement: { id, ...after } };
  });
  return result ?? reply.code(400).send({ code: 'invalid_argument' });
});

interface CrmIn {
  _id: string;
  productId: string;
  accountId: string;
  validityType: string;
  productType: string;
  validFrom: string;
  expiryDate: string;
}

app.post('/crm-gateway/v1/rmg/v1/entitlements', async (request, reply) => {
  const b = request.body as CrmIn;
  const tenant = request.headers['nv-tenant-id'] as string;
  await projectOf(tenant);
  const now = new Date();
  const created = await inTransaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `purchase:${tenant}:${b.accountId}:${b.productId}`,
    ]);
    const clash = await tx.query(
      `select "e0".* from "entitlement" as "e0" where "e0"."project_id" = $1 and "e0"."subject_id" = $2
       and "e0"."product_id" = $3 and "e0"."status" = 'ACTIVE' and ("e0"."valid_until" is null or "e0"."valid_until" > $4)
       and ("e0"."valid_from" is null or "e0"."valid_from" < $5) and "e0"."device_id" is null
       order by "e0"."created_at" asc limit 1`,
      [tenant, b.accountId, b.productId, b.validFrom, b.expiryDate],
    );
    if (clash.rowCount) return false;
    const after = {
      id: b._id,
      projectId: tenant,
      subjectId: b.accountId,
      productId: b.productId,
      validFrom: b.validFrom,
      validUntil: b.expiryDate,
      status: 'ACTIVE',
      origin: 'CRM',
      validityType: b.validityType,
      productType: b.productType,
    };
    await recordChange(tx, {
      projectId: tenant,
      entitlementId: b._id,
      subjectId: b.accountId,
      productId: b.productId,
      kind: 'CREATED',
      before: null,
      after,
      fields: Object.keys(after),
      actor: 'bench-operator',
      api: 'CRM',
      correlationId: correlationIdOf(request),
      at: now,
    });
    await tx.query(
      `insert into "entitlement" ("project_id", "id", "subject_id", "product_id", "valid_from", "valid_until", "status",
       "origin", "validity_type", "product_type", "created_at", "updated_at")
       values ($1, $2, $3, $4, $5, $6, 'ACTIVE', 'CRM', $7, $8, $9, $9)`,
      [tenant, b._id, b.accountId, b.productId, b.validFrom, b.expiryDate, b.validityType, b.productType, now],
    );
    return true;
  });
  return created ? reply.code(201).send({ _id: b._id }) : reply.code(409).send({ code: 409, errorCode: 4091 });
});

app.get('/monetization/offers/v1/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  const { project_id } = request.query as { project_id: string };
  const rows = await pool.query<Row>(
    'select "o0".* from "offer" as "o0" where "o0"."id" = $1 and "o0"."project_id" = $2 limit 1',
    [id, project_id],
  );
  return rows.rows[0] ? { offer: rows.rows[0] } : reply.code(404).send({ code: 'not_found' });
});

async function main(): Promise<void> {
  await app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' });
  const stop = () => void app.close().then(() => pool.end().then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
