import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApp } from '../../apps/api/src/bootstrap';
import { DEV_SIGNING_KEY } from '../../apps/api/src/auth/auth.module-tokens';
import { DevSigningKey } from '../../apps/api/src/auth/dev-signing-key';
import { PlatformRole } from '../../apps/api/src/auth/principal';
import { AppConfig, loadConfig } from '../../apps/api/src/config/app-config';
import { Contract } from './contract';
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
    readonly dataDir: string,
    readonly config: AppConfig,
    /** A second instance on another app's database: closing it leaves the database and DATA_DIR alone. */
    private readonly borrowed = false,
    /** On a database the test owns (ownDatabaseUrl): closing drops nothing but DATA_DIR. */
    private readonly ownDatabase = false,
  ) {}

  /**
   * Starts the application on a new database cloned from the migrated template, or, with `sameDatabaseAs`,
   * as a second instance on another app's database (and its DATA_DIR key): two service instances, one store.
   */
  static async start(
    env: Record<string, string> = {},
    options: { sameDatabaseAs?: TestApp; ownDatabaseUrl?: string } = {},
  ): Promise<TestApp> {
    const adminUrl = process.env.TEST_PG_ADMIN_URL;
    const template = process.env.TEST_TEMPLATE_DB;
    if (!adminUrl || !template)
      throw new Error('TEST_PG_ADMIN_URL is unset: run the http tests through jest (global setup)');
    const shared = options.sameDatabaseAs;
    // ownDatabaseUrl: a migrated database on a server the test runs itself (and may stop); left as it is on close.
    const own = options.ownDatabaseUrl;
    const name = shared ? shared.databaseName : own ? '' : await createDatabaseFromTemplate(adminUrl, template);
    const url = own ?? databaseUrl(adminUrl, name);
    const dataDir = shared ? shared.dataDir : mkdtempSync(join(tmpdir(), 'entitlements-app-'));
    chmodSync(dataDir, 0o755);
    const config: AppConfig = loadConfig({
      DATA_DIR: dataDir,
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
    db.on('error', () => undefined); // a test may stop the database under it
    await db.connect();
    return new TestApp(app, `http://127.0.0.1:${port}`, url, name, db, dataDir, config, Boolean(shared), Boolean(own));
  }

  /** Development mode's signing key (the app trusts it when no issuer is configured). */
  get devKey(): DevSigningKey {
    return this.app.get<DevSigningKey>(DEV_SIGNING_KEY);
  }

  /** A platform token for the Motto-style API. */
  platformToken(projects: string[] | '*', role: PlatformRole, subject?: string): Promise<string> {
    return this.devKey.platformToken({
      projects: projects === '*' ? ['*'] : projects,
      role,
      audience: this.config.auth.platformAudience,
      subject,
    });
  }

  /** A Keycloak-style token for the CRM gateway. */
  operatorToken(opts: { roles?: string[]; tenants?: string[]; subject?: string } = {}): Promise<string> {
    return this.devKey.keycloakToken({
      roles: opts.roles ?? ['operatorRole'],
      tenants: opts.tenants,
      tenantsClaim: this.config.auth.keycloakTenantsClaim,
      subject: opts.subject,
    });
  }

  /** Creates a project through the API (as an all-projects admin). */
  async createProject(id: string, settings: { device_specific_products?: boolean } = {}): Promise<void> {
    const res = await this.post(
      '/iam/projects/v1',
      { id, name: `Project ${id}`, settings },
      { token: await this.platformToken('*', 'admin') },
    );
    if (res.status !== 200) throw new Error(`createProject ${id}: ${res.status} ${res.text}`);
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
    // Every response is judged against the committed openapi.yaml: an undocumented status or field fails the test.
    Contract.load().check(method, url.pathname, res.status, res.headers, parsed);
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
    if (this.borrowed) return;
    if (this.ownDatabase) return rmSync(this.dataDir, { recursive: true, force: true });
    await dropDatabase(process.env.TEST_PG_ADMIN_URL!, this.databaseName);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
