import { HttpResponse, RequestOptions, TestApp } from '../support/test-app';

export const CRM_BASE = '/crm-gateway/v1/rmg/v1/entitlements';

/** The seed's example: a capability entitlement for Netflix. */
export const NETFLIX = {
  productId: 'product1234',
  accountId: 'account1234',
  validityType: 'ABSOLUTE',
  productType: 'CAPABILITY',
  validFrom: '2022-04-26T11:01:46.082Z',
  expiryDate: '2023-04-26T11:01:46.082Z',
  capabilityType: 'NETFLIX',
} as const;

/** A plain subscription, valid over 2024. */
export const SUBSCRIPTION = {
  productId: 'sports-pack',
  accountId: 'acc-1',
  validityType: 'ABSOLUTE',
  productType: 'SUBSCRIPTION',
  validFrom: '2024-01-01T00:00:00.000Z',
  expiryDate: '2025-01-01T00:00:00.000Z',
} as const;

/**
 * Calls the CRM gateway as one operator on one tenant: the token and `nv-tenant-id` are added to every
 * request unless the options override them.
 */
export class CrmClient {
  constructor(
    readonly t: TestApp,
    readonly token: string,
    readonly tenant: string | undefined = 'demo',
  ) {}

  static async of(t: TestApp, tenant: string | undefined = 'demo', token?: string): Promise<CrmClient> {
    return new CrmClient(t, token ?? (await t.operatorToken()), tenant);
  }

  private options(options: RequestOptions = {}): RequestOptions {
    const headers: Record<string, string> = {};
    if (this.tenant !== undefined) headers['nv-tenant-id'] = this.tenant;
    return { token: this.token, ...options, headers: { ...headers, ...options.headers } };
  }

  create(body: unknown, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.t.post(CRM_BASE, body, this.options(options));
  }

  list(query: Record<string, string | number | undefined> = {}, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.t.get(CRM_BASE, this.options({ ...options, query }));
  }

  get(id: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.t.get(`${CRM_BASE}/${encodeURIComponent(id)}`, this.options(options));
  }

  update(id: string, body: unknown, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.t.put(`${CRM_BASE}/${encodeURIComponent(id)}`, body, this.options(options));
  }

  delete(id: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.t.delete(`${CRM_BASE}/${encodeURIComponent(id)}`, this.options(options));
  }

  /** A raw request (body sent as is) with this client's token and tenant. */
  raw(method: string, path: string, rawBody: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.t.request(method, path, this.options({ ...options, rawBody }));
  }
}

/** Asserts the CRM error body and returns it. */
export function expectCrmError(
  res: HttpResponse,
  status: number,
  errorCode: number,
  message?: RegExp | string,
): { code: number; errorCode: number; message: string } {
  if (res.status !== status || res.body?.errorCode !== errorCode) {
    throw new Error(`expected ${status}/${errorCode}, got ${res.status}: ${res.text}`);
  }
  expect(res.body).toEqual({ code: status, errorCode, message: expect.any(String) });
  if (message !== undefined) expect(res.body.message).toMatch(message);
  return res.body;
}

export async function countEntitlements(t: TestApp, tenant = 'demo'): Promise<number> {
  return Number((await t.sql('SELECT count(*)::int AS n FROM entitlement WHERE project_id = $1', [tenant]))[0].n);
}
