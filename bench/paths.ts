/**
 * The measured paths and their requests, the same for the floor and the service. Each request is derived from
 * a counter `n` and the loaded data set (bench/load.ts formulas), so users, devices and keys vary per request:
 * checks and session starts spread over many viewers (session starts from new devices with EVICT_OLDEST, so
 * concurrency limits never refuse), upserts over many keys, CRM creates with unique ids and products.
 */
import { DataSet, PROJECT, SESSIONS, entityOf, eventOf, offerId, offerOf, sessionId } from './load';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Which token: platform role, or the CRM operator token. */
  auth: 'playback' | 'editor' | 'viewer' | 'operator' | 'none';
  headers?: Record<string, string>;
}

export interface PathSpec {
  name: string;
  /** Shown in the report: the route, with its method. */
  route: string;
  /** `tag` makes the writes of each run and side unique (CRM ids). */
  request(n: number, tag: string): BenchRequest;
}

/** Spreads the counter over the users (a large odd stride, so neighbours are far apart). */
const userOf = (n: number, ds: DataSet) => (n * 7919) % ds.users;

function content(offer: number) {
  return { kind: 'EVENT', id: eventOf(offer), entity_ids: [entityOf(offer)] };
}

export function paths(ds: DataSet): PathSpec[] {
  const sessions = Math.min(SESSIONS, ds.users);
  return [
    {
      name: 'access check',
      route: 'POST /monetization/access-checks/v1',
      request: (n) => {
        const u = userOf(n, ds);
        const body = {
          project_id: PROJECT,
          user_id: `user-${u}`,
          content: content(offerOf(u, n % 5)),
          country_code: 'FR',
        };
        return { method: 'POST', path: '/monetization/access-checks/v1', body: JSON.stringify(body), auth: 'playback' };
      },
    },
    {
      name: 'access check, batch of 20',
      route: 'POST /monetization/access-checks/v1/batch',
      request: (n) => {
        const u = userOf(n, ds);
        // The viewer's five entitled offers and fifteen others.
        const offers = Array.from({ length: 20 }, (_, i) => (i < 5 ? offerOf(u, i) : ((u + i * 37) % ds.offers) + 1));
        const body = { project_id: PROJECT, user_id: `user-${u}`, contents: offers.map(content), country_code: 'FR' };
        return {
          method: 'POST',
          path: '/monetization/access-checks/v1/batch',
          body: JSON.stringify(body),
          auth: 'playback',
        };
      },
    },
    {
      name: 'playback session start',
      route: 'POST /monetization/playback-sessions/v1',
      request: (n, tag) => {
        const u = userOf(n, ds);
        const body = {
          project_id: PROJECT,
          user_id: `user-${u}`,
          content: content(offerOf(u, 0)),
          country_code: 'FR',
          device_id: `dev-${tag}-${n % 7}`,
          on_limit: 'EVICT_OLDEST',
        };
        return {
          method: 'POST',
          path: '/monetization/playback-sessions/v1',
          body: JSON.stringify(body),
          auth: 'playback',
        };
      },
    },
    {
      name: 'playback heartbeat',
      route: 'POST /monetization/playback-sessions/v1/{id}/heartbeat',
      request: (n) => ({
        method: 'POST',
        path: `/monetization/playback-sessions/v1/${sessionId(n % sessions)}/heartbeat?project_id=${PROJECT}`,
        auth: 'playback',
      }),
    },
    {
      name: "list a user's entitlements (Motto)",
      route: 'GET /monetization/entitlements/v1?filter=user_id:…',
      request: (n) => ({
        method: 'GET',
        path: `/monetization/entitlements/v1?project_id=${PROJECT}&filter=user_id:user-${userOf(n, ds)}`,
        auth: 'viewer',
      }),
    },
    {
      name: "list an account's entitlements (CRM)",
      route: 'GET /crm-gateway/v1/rmg/v1/entitlements?filter={accountId}',
      request: (n) => ({
        method: 'GET',
        path: `/crm-gateway/v1/rmg/v1/entitlements?filter=${encodeURIComponent(JSON.stringify({ accountId: `user-${userOf(n, ds)}` }))}`,
        auth: 'operator',
        headers: { 'nv-tenant-id': PROJECT },
      }),
    },
    {
      name: 'Motto upsert',
      route: 'POST /monetization/entitlements/v1',
      request: (n) => {
        // Over many keys: most create, some update (an expiration in the future, changing per call).
        const u = userOf(n, ds);
        const body = {
          project_id: PROJECT,
          user_id: `user-${u}`,
          offer_id: offerId(((u * 13 + n) % ds.offers) + 1),
          expiration_time: new Date(Date.now() + 30 * 86_400_000 + (n % 1000) * 1000).toISOString(),
          origin_country_code: 'FR',
          source_type: 'STRIPE',
          source_id: `pi_bench_${n}`,
        };
        return { method: 'POST', path: '/monetization/entitlements/v1', body: JSON.stringify(body), auth: 'editor' };
      },
    },
    {
      name: 'CRM create (no duplicate purchase)',
      route: 'POST /crm-gateway/v1/rmg/v1/entitlements?prohibitDuplicateProductPurchase=true',
      request: (n, tag) => {
        const u = userOf(n, ds);
        const body = {
          _id: `bench-${tag}-${n}`,
          productId: `crm-product-${tag}-${n}`,
          accountId: `user-${u}`,
          validityType: 'ABSOLUTE',
          productType: 'SUBSCRIPTION',
          validFrom: '2026-01-01T00:00:00.000Z',
          expiryDate: '2027-01-01T00:00:00.000Z',
        };
        return {
          method: 'POST',
          path: '/crm-gateway/v1/rmg/v1/entitlements?prohibitDuplicateProductPurchase=true',
          body: JSON.stringify(body),
          auth: 'operator',
          headers: { 'nv-tenant-id': PROJECT },
        };
      },
    },
    {
      name: 'offer get',
      route: 'GET /monetization/offers/v1/{id}',
      request: (n) => ({
        method: 'GET',
        path: `/monetization/offers/v1/${offerId((n % ds.offers) + 1)}?project_id=${PROJECT}`,
        auth: 'viewer',
      }),
    },
    {
      name: 'health (live)',
      route: 'GET /health/live',
      request: () => ({ method: 'GET', path: '/health/live', auth: 'none' }),
    },
  ];
}
