/**
 * Loads the bench data set into a migrated database, in bulk, with SQL (generate_series) straight into the
 * service's schema: one project `big` (device-specific products on), OFFERS offers with targets and geo
 * prices (and their offer_content rows), `rows` entitlements over `rows / 5` users (five each), and live
 * playback sessions for the heartbeat path. Then ANALYZE.
 *
 * The data set is deterministic, and the bench's requests are derived from the same formulas (see `dataSet`):
 *   user u (0 <= u < users) is `user-<u>`; their j-th entitlement (0 <= j < 5) is to offer offerOf(u, j);
 *   j = 0 is always ACTIVE, open-ended, ABSOLUTE, device-free and Motto-created (so it grants);
 *   the others mix expired, revoked, future, RELATIVE (CRM) and device-specific ones.
 */
import { Client } from 'pg';

export const PROJECT = 'big';
export const OFFERS = 10_000;
export const PER_USER = 5;
export const ENTITIES = 5_000;
/** Playback sessions loaded for the heartbeat path (one per user from user-0 up). */
export const SESSIONS = 20_000;

export interface DataSet {
  rows: number;
  users: number;
  offers: number;
}

export function dataSet(rows: number): DataSet {
  return { rows, users: Math.max(1, Math.floor(rows / PER_USER)), offers: OFFERS };
}

/** Offer ids look like the service's (UUIDs), deterministic: offer i (1-based). */
export function offerId(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}
const OFFER_ID_SQL = (i: string) => `'00000000-0000-4000-8000-' || lpad((${i})::text, 12, '0')`;

/** The offer (1-based) of user u's j-th entitlement: distinct for j = 0..4 (2003·j mod 10000 differ). */
export function offerOf(u: number, j: number): number {
  return ((u * 7 + j * 2003) % OFFERS) + 1;
}
const OFFER_OF_SQL = (u: string, j: string) => `(((${u}) * 7 + (${j}) * 2003) % ${OFFERS}) + 1`;

/** The entity (team) an offer targets, besides its own event. */
export function entityOf(offer: number): string {
  return `team-${offer % ENTITIES}`;
}
export function eventOf(offer: number): string {
  return `event-${offer}`;
}

/** Session ids (UUIDs) loaded for the heartbeat path: session s belongs to user s, entitlement j = 0. */
export function sessionId(s: number): string {
  return `10000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
}

export async function loadDataSet(url: string, rows: number, progress: (line: string) => void): Promise<void> {
  const { users } = dataSet(rows);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set synchronous_commit = off');
    await client.query(
      `insert into project (id, name, settings, created_at, updated_at)
       values ($1, 'Bench', '{"deviceSpecificProducts": true}', now(), now())`,
      [PROJECT],
    );
    let t = Date.now();
    // Offers: every one targets its own event and a team (2 offers per team); one in 3 sells only in some
    // countries, one in 3 everywhere but two, the rest everywhere; one in 4 is a 48-hour rental; one in 2
    // limits concurrent streams to 2. Offer 1 applies to all content.
    await client.query(`
      insert into offer (id, project_id, name, localized_title, localized_description, cleeng_offer_id, applies_to_all,
        target, localized_logo_asset_id, localized_image_asset_id, offer_prices, priority, concurrency_limit, visibility,
        video_protection_ruleset_id, created_at, updated_at)
      select ${OFFER_ID_SQL('i')}, '${PROJECT}', 'Offer ' || i,
        jsonb_build_object('en', 'Offer ' || i, 'fr', 'Offre ' || i), jsonb_build_object('en', 'Bench offer ' || i), '',
        i = 1,
        case when i = 1 then '{"entityIds":[],"eventIds":[],"creativeWorkIds":[]}'::jsonb
          else jsonb_build_object('entityIds', jsonb_build_array('team-' || (i % ${ENTITIES})),
            'eventIds', jsonb_build_array('event-' || i), 'creativeWorkIds', '[]'::jsonb) end,
        '{}', '{}',
        jsonb_build_array(
          jsonb_build_object('id', 'price-' || i || '-eur',
            'price', jsonb_build_object('currencyCode', 'EUR', 'units', (i % 50 + 1)::text, 'nanos', 0),
            'billingPeriod', case when i % 4 = 0 then 'BILLING_PERIOD_ONE_TIME' else 'BILLING_PERIOD_MONTHLY' end,
            'accessPeriod', case when i % 4 = 0 then 'ACCESS_PERIOD_DAY' else 'ACCESS_PERIOD_UNSPECIFIED' end,
            'geoRestrictionsAllow', case when i % 3 = 0 then '["FR","DE","IT","ES","NL","BE"]'::jsonb else '[]'::jsonb end,
            'geoRestrictionsDisallow', case when i % 3 = 1 then '["US","CN"]'::jsonb else '[]'::jsonb end,
            'priority', '0', 'stripeProductId', '', 'appStoreProductId', '', 'playStoreSku', ''),
          jsonb_build_object('id', 'price-' || i || '-usd',
            'price', jsonb_build_object('currencyCode', 'USD', 'units', (i % 50 + 2)::text, 'nanos', 990000000),
            'billingPeriod', 'BILLING_PERIOD_MONTHLY', 'accessPeriod', 'ACCESS_PERIOD_UNSPECIFIED',
            'geoRestrictionsAllow', '["US","CA"]'::jsonb, 'geoRestrictionsDisallow', '[]'::jsonb,
            'priority', '1', 'stripeProductId', '', 'appStoreProductId', '', 'playStoreSku', '')),
        (i % 100)::bigint, case when i % 2 = 0 then 2 end, 'VISIBILITY_PUBLISHED', '',
        now() - interval '400 days' + i * interval '1 minute', now() - interval '400 days' + i * interval '1 minute'
      from generate_series(1, ${OFFERS}) i`);
    await client.query(`
      insert into offer_content (project_id, kind, content_id, offer_id)
      select '${PROJECT}', 'EVENT', 'event-' || i, ${OFFER_ID_SQL('i')} from generate_series(2, ${OFFERS}) i
      union all
      select '${PROJECT}', 'ENTITY', 'team-' || (i % ${ENTITIES}), ${OFFER_ID_SQL('i')} from generate_series(2, ${OFFERS}) i`);
    progress(`offers: ${OFFERS} with targets and prices (${Date.now() - t} ms)`);

    // Entitlements, in chunks of users so progress shows. Entitlement k = u * 5 + j.
    t = Date.now();
    const chunk = 20_000;
    for (let from = 0; from < users; from += chunk) {
      const to = Math.min(users, from + chunk) - 1;
      await client.query(`
        insert into entitlement (project_id, id, subject_id, product_id, valid_from, valid_until, status, revoked_at,
          device_id, concurrency_limit, origin_country_code, source_type, source_id, origin, user_id,
          purchased_by_device_id, validity_type, product_type, capability_type, is_archivable, is_freemium, first_view,
          created_at, updated_at)
        select '${PROJECT}', case when crm then 'crm-' else 'e-' end || k, 'user-' || u, ${OFFER_ID_SQL(OFFER_OF_SQL('u', 'j'))},
          case when crm then created else null end,
          case when j = 0 then null
               when r < 20 then now() - (r + 1) * interval '1 day'          -- expired
               when r < 80 then now() + (r + 1) * interval '3 days'         -- running
               else null end,                                               -- open-ended
          case when j > 0 and r % 10 = 3 then 'REVOKED' else 'ACTIVE' end,
          case when j > 0 and r % 10 = 3 then created + interval '10 days' end,
          case when j > 0 and r % 10 = 5 then 'device-' || u || '-' || j end,
          case when j = 2 and r % 5 = 0 then 3 end,
          case when r % 3 = 0 then 'FR' when r % 3 = 1 then 'DE' else 'US' end,
          case when crm then null else 'STRIPE' end, case when crm then null else 'pi_' || k end,
          case when crm then 'CRM'::text else 'MOTTO'::text end,
          case when crm then 'user-' || u end, null,
          case when crm and r % 4 = 1 then 'RELATIVE' when crm then 'ABSOLUTE' end,
          case when crm then 'SUBSCRIPTION' end, null, case when crm then false end, case when crm then false end,
          case when crm and r % 4 = 1 and r % 8 = 1 then created + interval '2 days' end,
          created, created
        from (
          select u, j, u * ${PER_USER} + j as k, (u * 31 + j * 17) % 100 as r,
            j > 0 and (u + j) % 10 < 3 as crm,
            now() - interval '365 days' + ((u * ${PER_USER} + j) % 525600) * interval '1 minute' as created
          from generate_series(${from}, ${to}) u, generate_series(0, ${PER_USER - 1}) j
        ) g`);
      progress(
        `entitlements: ${Math.min(users, to + 1) * PER_USER} / ${users * PER_USER} (${Math.round((Date.now() - t) / 1000)} s)`,
      );
    }

    // Live sessions for heartbeats: session s of user s on their first entitlement (e-<5s>), device-specific id.
    const sessions = Math.min(SESSIONS, users);
    await client.query(`
      insert into playback_session (id, project_id, subject_id, entitlement_id, offer_id, device_id, content_kind,
        content_id, country_code, basis, started_at, lease_until, rental_until, ended_at, end_reason)
      select ('10000000-0000-4000-8000-' || lpad(s::text, 12, '0'))::uuid, '${PROJECT}', 'user-' || s,
        'e-' || (s * ${PER_USER}), ${OFFER_ID_SQL(OFFER_OF_SQL('s', '0'))}, 'hb-device-' || s, 'EVENT',
        'event-' || (${OFFER_OF_SQL('s', '0')}), 'FR', 'ENTITLEMENT', now(), now() + interval '1 day', null, null, null
      from generate_series(0, ${sessions - 1}) s`);
    progress(`playback sessions: ${sessions}`);
    t = Date.now();
    await client.query('analyze');
    progress(`analyze (${Date.now() - t} ms)`);
  } finally {
    await client.end();
  }
}
