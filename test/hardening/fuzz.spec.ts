import { Contract } from '../support/contract';
import { Baseline, FuzzOperation, FuzzVariant, loadOperations, variantsOf } from '../support/fuzz';
import { TestApp } from '../support/test-app';

/**
 * Schema-driven fuzz of every operation of openapi.yaml: hundreds of malformed variants each (wrong types,
 * nesting, sizes, NUL and unpaired surrogates, injection strings, repeated and unknown parameters, unknown
 * and missing fields, refused keys, other media types), sent over HTTP to the real application. Each answer
 * must be a documented 4xx (or, for reads, a success) in the error body of the API, never a 5xx, naming the
 * field at fault; and not one row of any table may change.
 *
 * Reproduce a failure with the same FUZZ_SEED (printed with it); FUZZ_COUNT sets the variants per operation.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const COUNT = Number(process.env.FUZZ_COUNT ?? 200);
const CONCURRENCY = 4;
const TENANT = 'fuzz';
const MISSING_UUID = '00000000-0000-4000-8000-000000000000';

describe('fuzz: malformed requests to every operation', () => {
  let t: TestApp;
  let baselines: Record<string, Baseline>;
  let digest: () => Promise<Record<string, string>>;

  beforeAll(async () => {
    // No dispatcher: nothing may change a row in the background while the digest compares the tables.
    t = await TestApp.start({ WEBHOOK_DISPATCHER: 'false', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    await t.createProject(TENANT);
    const admin = await t.platformToken('*', 'admin');
    const operator = await t.operatorToken();
    const offer = {
      project_id: TENANT,
      name: 'Fuzz pass',
      localized_title: { en: 'Fuzz pass' },
      localized_description: { en: 'All of it' },
      cleeng_offer_id: 'S1_FR',
      applies_to_all: false,
      target: {
        entity_ids: ['team-1'],
        event_ids: ['event-1'],
        creative_work_ids: ['cw-1'],
        content_start_time: '2024-08-01T00:00:00Z',
        content_end_time: '2030-06-30T23:59:59Z',
      },
      localized_logo_asset_id: { en: 'logo-1' },
      localized_image_asset_id: { en: 'image-1' },
      offer_prices: [
        {
          id: 'monthly-eur',
          msrp_price: { currency_code: 'EUR', units: '12', nanos: 990000000 },
          price: { currency_code: 'EUR', units: '9', nanos: 990000000 },
          billing_period: 'BILLING_PERIOD_MONTHLY',
          access_period: 'ACCESS_PERIOD_MONTH',
          geo_restrictions_disallow: { country_codes: [] },
          geo_restrictions_allow: { country_codes: ['FR', 'BE'] },
          priority: '2',
          stripe_product_id: 'prod_1',
          app_store_product_id: 'com.fuzz.monthly',
          play_store_sku: 'fuzz_monthly',
        },
      ],
      priority: '10',
      concurrency_limit: '2',
      visibility: 'VISIBILITY_PUBLISHED',
      video_protection_ruleset_id: 'ruleset-1',
    };
    const created = await t.post('/monetization/offers/v1', offer, { token: admin });
    expect(created.status).toBe(200);
    const offerId: string = created.body.offer.id;
    const upsert = {
      project_id: TENANT,
      user_id: 'fz-user',
      offer_id: offerId,
      expiration_time: '2030-01-01T00:00:00Z',
      concurrency_limit: '2',
      origin_country_code: 'DE',
      source_id: 'tx-1',
      source_type: 'cleeng',
    };
    expect((await t.post('/monetization/entitlements/v1', upsert, { token: admin })).status).toBe(200);
    const crmCreate = {
      _id: 'fz-crm-1',
      productId: 'sports-pack',
      accountId: 'acc-1',
      validityType: 'ABSOLUTE',
      productType: 'SUBSCRIPTION',
      validFrom: '2024-01-01T00:00:00.000Z',
      expiryDate: '2030-01-01T00:00:00.000Z',
      deviceId: 'stb-1',
      userId: 'u-1',
      purchasedByDeviceId: 'stb-1',
      isArchivable: true,
      isFreemium: false,
    };
    const crm = { authorization: `Bearer ${operator}`, 'nv-tenant-id': TENANT };
    expect(
      (await t.post('/crm-gateway/v1/rmg/v1/entitlements', crmCreate, { token: operator, headers: crm })).status,
    ).toBe(201);

    const motto = { authorization: `Bearer ${admin}` };
    const hook = { project_id: TENANT, url: 'http://127.0.0.1:9/hook', event_types: ['entitlement.created'] };
    const endpoint = await t.post('/monetization/webhooks/v1/endpoints', hook, { token: admin });
    expect(endpoint.status).toBe(200);
    const endpointId: string = endpoint.body.endpoint.id;
    const content = { kind: 'EVENT', id: 'event-1', entity_ids: ['team-1'], start_time: '2025-01-01T00:00:00Z' };
    const viewer = { project_id: TENANT, user_id: 'fz-user', country_code: 'FR', device_id: 'tv-1' };
    baselines = {
      getLiveness: {},
      getReadiness: {},
      listCrmEntitlements: { headers: crm },
      createCrmEntitlement: {
        headers: crm,
        query: { prohibitDuplicateProductPurchase: 'false' },
        body: { ...crmCreate, _id: 'fz-crm-2', capabilityType: undefined },
      },
      getCrmEntitlement: { headers: crm, path: { id: 'fz-crm-1' } },
      updateCrmEntitlement: {
        headers: crm,
        path: { id: 'fz-crm-1' },
        body: {
          status: 'UNSUBSCRIBED',
          expiryDate: '2031-01-01T00:00:00.000Z',
          deviceId: 'stb-2',
          purchasedByDeviceId: 'stb-2',
          isArchivable: false,
          isFreemium: true,
        },
      },
      deleteCrmEntitlement: { headers: crm, path: { id: 'fz-missing' } },
      listProjects: { headers: motto },
      createProject: {
        headers: motto,
        body: { id: 'fuzz-new', name: 'Fuzz new', settings: { device_specific_products: true } },
      },
      getProject: { headers: motto, path: { project_id: TENANT } },
      updateProject: {
        headers: motto,
        path: { project_id: TENANT },
        body: {
          project_id: TENANT,
          project: { name: 'Fuzz renamed', settings: { device_specific_products: true } },
          update_mask: 'name,settings',
        },
      },
      listOffers: {
        headers: motto,
        query: { project_id: TENANT, filter: 'visibility:VISIBILITY_PUBLISHED', page_size: '10' },
      },
      createOffer: { headers: motto, body: offer },
      getOffer: { headers: motto, path: { offer_id: offerId }, query: { project_id: TENANT } },
      updateOffer: {
        headers: motto,
        path: { offer_id: offerId },
        query: { project_id: TENANT },
        body: { offer_id: offerId, offer: { ...offer, name: 'Fuzz renamed' }, update_mask: 'name,offer_prices,target' },
      },
      deleteOffer: { headers: motto, path: { offer_id: MISSING_UUID }, query: { project_id: TENANT } },
      listEntitlements: { headers: motto, query: { project_id: TENANT, filter: 'user_id:fz-user', page_size: '10' } },
      upsertEntitlement: { headers: motto, body: { ...upsert, user_id: 'fz-user-2' } },
      listEntitlementHistory: {
        headers: motto,
        query: { project_id: TENANT, user_id: 'fz-user', offer_id: offerId, page_size: '10' },
      },
      checkAccess: { headers: motto, body: { ...viewer, content, time: '2026-01-01T00:00:00Z' } },
      batchCheckAccess: { headers: motto, body: { ...viewer, contents: [content], time: '2026-01-01T00:00:00Z' } },
      listPlaybackSessions: { headers: motto, query: { project_id: TENANT, user_id: 'fz-user' } },
      startPlaybackSession: { headers: motto, body: { ...viewer, content, on_limit: 'REFUSE' } },
      stopPlaybackSession: { headers: motto, path: { session_id: MISSING_UUID }, query: { project_id: TENANT } },
      heartbeatPlaybackSession: { headers: motto, path: { session_id: MISSING_UUID }, query: { project_id: TENANT } },
      listWebhookEndpoints: { headers: motto, query: { project_id: TENANT, page_size: '10' } },
      createWebhookEndpoint: { headers: motto, body: { ...hook, description: 'DRM licence server' } },
      getWebhookEndpoint: { headers: motto, path: { endpoint_id: endpointId }, query: { project_id: TENANT } },
      // Writes aim at an endpoint that does not exist: a variant that happens to be valid changes nothing either.
      updateWebhookEndpoint: {
        headers: motto,
        path: { endpoint_id: MISSING_UUID },
        query: { project_id: TENANT },
        body: { endpoint: { url: 'http://127.0.0.1:9/other', enabled: true }, update_mask: 'url,enabled' },
      },
      deleteWebhookEndpoint: { headers: motto, path: { endpoint_id: MISSING_UUID }, query: { project_id: TENANT } },
      listWebhookDeliveries: {
        headers: motto,
        path: { endpoint_id: endpointId },
        query: { project_id: TENANT, page_size: '10' },
      },
      redeliverWebhook: {
        headers: motto,
        path: { endpoint_id: endpointId, delivery_id: '999999' },
        body: { project_id: TENANT },
      },
      rotateWebhookEndpointSecret: {
        headers: motto,
        path: { endpoint_id: MISSING_UUID },
        body: { project_id: TENANT },
      },
    };

    const tables = (
      await t.sql<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'mikro_orm%' ORDER BY 1",
      )
    ).map((r) => r.name);
    digest = async () => {
      const out: Record<string, string> = {};
      for (const table of tables) {
        const [row] = await t.sql<{ n: number; d: string }>(
          `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') AS d FROM "${table}" x`,
        );
        out[table] = `${row.n} rows, ${row.d}`;
      }
      return out;
    };
  });
  afterAll(() => t?.close());

  const operations = loadOperations();

  it('covers every operation of openapi.yaml with a baseline', () => {
    expect(operations.map((op) => op.operationId).filter((id) => !baselines[id])).toEqual([]);
  });

  it.each(operations.map((op) => [op.operationId, op] as const))(
    '%s: no 5xx, the API error body naming the field, nothing stored',
    async (_id, op) => {
      const variants = variantsOf(op, baselines[op.operationId], SEED, COUNT);
      expect(variants.length).toBeGreaterThan(op.body || op.pathParams.length || op.queryParams.length ? 100 : 5);
      const before = await digest();
      const failures: string[] = [];
      await pool(variants, CONCURRENCY, async (variant) => {
        const problem = await judge(t, op, variant);
        if (problem) failures.push(`[seed ${SEED}] ${op.operationId} "${variant.label}": ${problem}`);
      });
      expect(failures.slice(0, 15)).toEqual([]);
      expect(await digest()).toEqual(before);
    },
  );
});

/** Sends one variant; what is wrong with the answer, if anything. */
async function judge(t: TestApp, op: FuzzOperation, variant: FuzzVariant): Promise<string | undefined> {
  let res: Response;
  try {
    res = await fetch(`${t.baseUrl}${variant.url}`, {
      method: variant.method,
      headers: variant.headers,
      body: variant.body,
    });
  } catch (err) {
    return `request failed: ${(err as Error).message} (${(err as { cause?: Error }).cause?.message ?? ''})`;
  }
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    return `${res.status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const summary = `${res.status} ${text.slice(0, 300)}`;
  if (res.status >= 500) return summary;
  if (op.method !== 'GET' && res.status < 400) return `a malformed write succeeded: ${summary}`;
  if (!res.headers.get('x-correlation-id')) return `no x-correlation-id: ${summary}`;
  try {
    Contract.load().check(variant.method, new URL(variant.url, t.baseUrl).pathname, res.status, res.headers, body);
  } catch (err) {
    return (err as Error).message.slice(0, 600);
  }
  if (res.status < 400) return undefined;
  if (op.crm ? typeof body.errorCode !== 'number' || body.code !== res.status : typeof body.code !== 'string')
    return `not the ${op.crm ? 'CRM' : 'Connect'} error body: ${summary}`;
  if (res.status === 400 && variant.fields.length && !variant.fields.some((f) => body.message.includes(f)))
    return `the message does not name ${variant.fields.join(' or ')}: ${summary}`;
  return undefined;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
