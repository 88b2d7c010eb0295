import { CATALOG_OFFER_COLUMNS } from '@app/database';
import { TestApp } from '../support/test-app';
import { AccessWorld, event } from './access-support';

/**
 * The access decision reuses the offer it built from an unchanged offer row (OfferVersions, keyed on the row
 * version): any change of the row, through the API or straight in the database, shows in the next decision.
 */
describe('access decisions see every offer change at once', () => {
  let t: TestApp;
  let w: AccessWorld;
  let offer: string;
  const EV = event('ev-versions');

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'versions').init();
    offer = await w.offer({
      name: 'Pass A',
      target: { event_ids: ['ev-versions'] },
      offer_prices: [{ price: { currency_code: 'EUR', units: '9' } }],
    });
  });
  afterAll(() => t.close());

  const paywall = async () => {
    const res = await w.check('no-entitlement', EV);
    expect(res.status).toBe(200);
    return res.body.access_check.offers as { id: string; name: string; offer_prices: unknown[] }[];
  };

  it('an update through the API', async () => {
    expect((await paywall()).map((o) => o.name)).toEqual(['Pass A']);
    expect((await paywall()).map((o) => o.name)).toEqual(['Pass A']);
    const res = await t.patch(
      `/monetization/offers/v1/${offer}`,
      {
        offer_id: offer,
        offer: {
          project_id: 'versions',
          name: 'Pass B',
          offer_prices: [{ price: { currency_code: 'EUR', units: '5' } }],
        },
        update_mask: 'name,offer_prices',
      },
      { token: w.editor },
    );
    expect(res.status).toBe(200);
    const [o] = await paywall();
    expect(o.name).toBe('Pass B');
    expect(o.offer_prices).toEqual([expect.objectContaining({ price: expect.objectContaining({ units: '5' }) })]);
  });

  it('updates written straight in the database, the same millisecond and in one transaction', async () => {
    await paywall();
    await t.sql("update offer set name = 'Pass C' where id = $1", [offer]);
    expect((await paywall()).map((o) => o.name)).toEqual(['Pass C']);
    // Two versions written by one transaction share their xmin: the version also tells the tuple apart.
    await t.sql(`do $$ begin
      update offer set name = 'Pass E' where id = '${offer}';
      update offer set name = 'Pass F' where id = '${offer}';
    end $$`);
    expect((await paywall()).map((o) => o.name)).toEqual(['Pass F']);
  });

  it('the catalog reads every column of the offer table (a new column would otherwise be missing from decisions)', async () => {
    const columns = await t.sql<{ column_name: string }>(
      "select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'offer'",
    );
    expect(CATALOG_OFFER_COLUMNS.map((c) => c.replace('::text', '')).sort()).toEqual(
      columns.map((c) => c.column_name).sort(),
    );
  });

  it('an offer hidden, then published again', async () => {
    await t.sql("update offer set visibility = 'VISIBILITY_HIDDEN' where id = $1", [offer]);
    expect(await paywall()).toEqual([]);
    await t.sql("update offer set visibility = 'VISIBILITY_PUBLISHED' where id = $1", [offer]);
    expect((await paywall()).map((o) => o.name)).toEqual(['Pass F']);
  });
});
