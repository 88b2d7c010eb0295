import { randomUUID } from 'node:crypto';
import createClient, { Client, Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/schema';

export type { components, paths };
export type EntitlementsClient = Client<paths>;

export interface EntitlementsClientOptions {
  /** Where the service runs, e.g. http://entitlements:3000 */
  baseUrl: string;
  /** The bearer token (platform or Keycloak, per the API called), or a function giving the current one. */
  token?: string | (() => string | Promise<string>);
  /** The correlation id of each request; default: a new UUID. Pass the id of the flow you are serving. */
  correlationId?: () => string;
  fetch?: typeof fetch;
}

/**
 * A typed client of the service for internal callers, generated from openapi.yaml (openapi-typescript +
 * openapi-fetch): paths, parameters, bodies and responses are checked by the compiler.
 *
 *   const client = createEntitlementsClient({ baseUrl, token, correlationId: () => ctx.correlationId });
 *   const { data, error, response } = await client.GET('/monetization/entitlements/v1', { params: { query: { project_id } } });
 */
export function createEntitlementsClient(options: EntitlementsClientOptions): EntitlementsClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const headers: Middleware = {
    async onRequest({ request }) {
      const token = typeof options.token === 'function' ? await options.token() : options.token;
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      if (!request.headers.has('x-correlation-id'))
        request.headers.set('x-correlation-id', options.correlationId?.() ?? randomUUID());
      return request;
    },
  };
  client.use(headers);
  return client;
}
