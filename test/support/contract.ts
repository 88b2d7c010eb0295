import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }>;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  operation: Operation;
}

/** Paths served but deliberately not in the contract (Swagger UI itself, development-mode JWKS). */
const OUTSIDE_CONTRACT = [/^\/docs(\/|$)/, /^\/\.well-known\/jwks\.json$/];

/**
 * The committed openapi.yaml, used as the judge of every response the HTTP-level tests receive: its status
 * must be documented for the operation, its documented headers present, and its body valid against the
 * documented schema, with no undocumented fields (object schemas are closed for this check).
 */
export class Contract {
  private readonly routes: Route[];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(private readonly document: Record<string, any>) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('int64', { type: 'string', validate: (s: string) => /^-?\d+$/.test(s) });
    closeObjectSchemas(document.components?.schemas ?? {});
    for (const item of Object.values<any>(document.paths)) {
      for (const op of Object.values<any>(item))
        for (const r of Object.values<any>(op.responses ?? {})) closeInline(r.content?.['application/json']?.schema);
    }
    this.ajv.addSchema(document, 'openapi');
    this.routes = [];
    for (const [template, item] of Object.entries<Record<string, Operation>>(document.paths)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, operation] of Object.entries(item))
        this.routes.push({ method: method.toUpperCase(), template, pattern, operation });
    }
    // Literal paths before templated ones (/v1/history before /v1/{id}).
    this.routes.sort((a, b) => Number(a.template.includes('{')) - Number(b.template.includes('{')));
  }

  private static instance?: Contract;

  static load(): Contract {
    Contract.instance ??= new Contract(parse(readFileSync(join(__dirname, '../../openapi.yaml'), 'utf8')));
    return Contract.instance;
  }

  /** Throws, naming what differs, when the response is not what the contract promises. */
  check(method: string, path: string, status: number, headers: Headers, body: unknown): void {
    if (OUTSIDE_CONTRACT.some((p) => p.test(path))) return;
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) {
      // Only an unknown route may answer outside the contract, and only with 404.
      if (status !== 404 || this.routes.some((r) => r.pattern.test(path))) {
        throw new Error(`contract: ${method} ${path} answered ${status} but the operation is not in openapi.yaml`);
      }
      return;
    }
    const where = `${method} ${route.template} → ${status}`;
    const response = route.operation.responses[String(status)];
    if (!response)
      throw new Error(
        `contract: ${where} is not a documented response (documented: ${Object.keys(route.operation.responses).join(', ')})`,
      );
    for (const name of Object.keys(response.headers ?? {})) {
      if (!headers.has(name)) throw new Error(`contract: ${where} lacks the documented header ${name}`);
    }
    const json = response.content?.['application/json'];
    if (!json?.schema) return;
    const key = `${method} ${route.template} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const pointer = [
        'paths',
        route.template,
        method.toLowerCase(),
        'responses',
        String(status),
        'content',
        'application/json',
        'schema',
      ]
        .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/');
      validate = this.ajv.compile({ $ref: `openapi#/${pointer}` });
      this.validators.set(key, validate);
    }
    if (!validate(body)) {
      throw new Error(
        `contract: ${where} body does not match openapi.yaml: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
      );
    }
  }
}

/** Object schemas with properties and no additionalProperties rule: no other property may appear. */
function closeObjectSchemas(schemas: Record<string, any>): void {
  for (const schema of Object.values(schemas)) closeInline(schema);
}

function closeInline(schema: any): void {
  if (!schema || typeof schema !== 'object') return;
  // `nullable` beside an allOf/$ref (how @nestjs/swagger writes a nullable object): null or that schema,
  // as openapi-typescript and most OAS 3.0 tools read it.
  if (schema.nullable === true && (schema.allOf || schema.$ref)) {
    const inner = { ...schema };
    delete inner.nullable;
    for (const k of Object.keys(schema)) delete schema[k];
    schema.anyOf = [{ type: 'null' }, inner];
    closeInline(inner);
    return;
  }
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  for (const p of Object.values<any>(schema.properties ?? {})) closeInline(p);
  if (schema.items) closeInline(schema.items);
  for (const k of ['allOf', 'oneOf', 'anyOf']) (schema[k] ?? []).forEach(closeInline);
}
