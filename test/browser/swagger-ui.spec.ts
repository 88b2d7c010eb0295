import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { parse } from 'yaml';
import { TestApp } from '../support/test-app';

/**
 * A person trying the API in Swagger UI, in a real (headless Debian) Chromium: authorize with a development
 * token, "Try it out" with the documented example, execute, and see the success response.
 * `.ci/run` installs chromium with apt when missing.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('Swagger UI in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const doc = parse(readFileSync(join(__dirname, '../../openapi.yaml'), 'utf8'));

  beforeAll(async () => {
    t = await TestApp.start();
    // The project named by the documented offer example must exist for "Try it out" to succeed.
    const offerSchema =
      doc.components.schemas[
        doc.paths['/monetization/offers/v1'].post.requestBody.content['application/json'].schema.$ref.split('/').pop()
      ];
    await t.createProject(offerSchema.properties.project_id.example);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    await page.goto(`${t.baseUrl}/docs`);
    await page.locator('.swagger-ui .information-container').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function authorize(scheme: string, token: string): Promise<void> {
    await page.locator('.swagger-ui .auth-wrapper button.authorize').click();
    const container = page
      .locator('.modal-ux .auth-container')
      .filter({ has: page.locator(`h4:has-text("${scheme}")`) });
    await container.locator('input').fill(token);
    await container.locator('button.authorize').click();
    await page.locator('.modal-ux button.btn-done').first().click();
  }

  async function tryItOut(
    operationDomId: string,
    fill?: (op: ReturnType<Page['locator']>) => Promise<void>,
  ): Promise<string> {
    const op = page.locator(`#${operationDomId}`);
    await op.locator('.opblock-summary').first().click();
    await op.locator('button.try-out__btn').click();
    if (fill) await fill(op);
    await op.locator('button.execute').click();
    const status = op.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    const code = (await status.innerText()).trim();
    if (!code.startsWith('2')) {
      // Say why, in the failure message.
      return `${code} ${await op.locator('.live-responses-table .response-col_description .microlight').first().innerText()}`;
    }
    return code;
  }

  it('creates an offer with the documented example, authorized with a platform token', async () => {
    await authorize('platform', await t.platformToken('*', 'admin'));
    expect(await tryItOut('operations-Offers-createOffer')).toMatch(/^200/);
    expect(
      await page
        .locator('#operations-Offers-createOffer .live-responses-table .response-col_description .microlight')
        .first()
        .innerText(),
    ).toContain('"offer"');
    expect((await t.sql('select count(*)::int as n from offer'))[0].n).toBe(1);
  }, 60_000);

  it('creates a CRM entitlement with the documented example, authorized with a Keycloak-style token', async () => {
    await authorize('keycloak', await t.operatorToken());
    const status = await tryItOut('operations-CRM_Gateway-createCrmEntitlement', async (op) => {
      await op.locator('tr[data-param-name="nv-tenant-id"] input').fill('demo');
    });
    expect(status).toMatch(/^201/);
    expect(
      (await t.sql("select count(*)::int as n from entitlement where project_id = 'demo' and origin = 'CRM'"))[0].n,
    ).toBe(1);
  }, 60_000);
});
