import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TestApp } from '../support/test-app';

describe('published contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const committed = () => parse(readFileSync(join(__dirname, '../../openapi.yaml'), 'utf8'));

  it('serves the committed document as JSON and YAML, without a token', async () => {
    const json = await t.get('/docs/openapi.json');
    expect(json.status).toBe(200);
    expect(json.body).toEqual(committed());
    const yaml = await t.get('/docs/openapi.yaml');
    expect(yaml.status).toBe(200);
    expect(parse(yaml.text)).toEqual(committed());
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.get('/docs');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('documents every operation completely', () => {
    const doc = committed();
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect([where, typeof op.operationId]).toEqual([where, 'string']);
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        expect([where, Boolean(op.summary && op.description)]).toEqual([where, true]);
        expect([where, op.tags?.length]).toEqual([where, 1]);
        const statuses = Object.keys(op.responses);
        expect([where, statuses.some((s) => s.startsWith('2'))]).toEqual([where, true]);
        if (!path.startsWith('/health/')) {
          expect([where, statuses.includes('400') && statuses.includes('403') && statuses.includes('500')]).toEqual([
            where,
            true,
          ]);
          expect([where, op.security?.length]).toEqual([where, 1]);
        }
      }
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['keycloak', 'platform']);
  });
});
