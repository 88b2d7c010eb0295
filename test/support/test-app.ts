import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createApp } from '../../apps/api/src/bootstrap';
import { AppConfig, loadConfig } from '../../apps/api/src/config/app-config';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase } from './test-database';

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding) when given. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Bearer token for the Authorization header. */
  token?: string;
  query?: Record<string, string | number | boolean | undefined>;
}

/**
 * The real application, listening on a real port, with a database of its own: what one test file needs.
 * `request` goes over HTTP; `sql` reads the database to check what was (not) stored.
 */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
    readonly databaseUrl: string,
    private readonly databaseName: string,
    private readonly db: Client,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<TestApp> {
    const adminUrl = process.env.TEST_PG_ADMIN_URL;
    const template = process.env.TEST_TEMPLATE_DB;
    if (!adminUrl || !template) throw new Error('TEST_PG_ADMIN_URL is unset: run the http tests through jest (global setup)');
    const name = await createDatabaseFromTemplate(adminUrl, template);
    const url = databaseUrl(adminUrl, name);
    const config: AppConfig = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      DB_MIGRATE_ON_START: 'false',
      ...env,
    });
    const app = await createApp(config, url);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const db = new Client({ connectionString: url });
    await db.connect();
    return new TestApp(app, `http://127.0.0.1:${port}`, url, name, db);
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers['content-type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T = any>(path: string, body: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T = any>(path: string, body: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  /** Reads the database directly (to assert what was stored, or that nothing was). */
  async sql<R extends Record<string, any> = any>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.query<R>(text, params)).rows;
  }

  async close(): Promise<void> {
    await this.db.end().catch(() => undefined);
    await this.app.close();
    await dropDatabase(process.env.TEST_PG_ADMIN_URL!, this.databaseName);
  }
}
