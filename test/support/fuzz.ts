import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * A schema-driven generator of malformed requests for every operation of the committed openapi.yaml
 * (test/hardening/fuzz.spec.ts sends them). Deterministic: the same seed gives the same variants, so a
 * failure reproduces with its seed and label.
 *
 * Every variant of an operation that writes is malformed in at least one way the API must refuse (a wrong
 * type, a missing required field, an unknown field, a bad path or query parameter, a body that is not JSON...),
 * so nothing may be stored; noise that might be valid on its own (injection strings, odd headers) always comes
 * with such a fault. Where one field is at fault, `fields` lists the names the refusal must mention (any one).
 */

/** mulberry32: a small seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  pattern?: string;
  nullable?: boolean;
}

export interface FuzzOperation {
  operationId: string;
  method: string;
  /** `/monetization/offers/v1/{offer_id}` */
  template: string;
  pathParams: string[];
  queryParams: string[];
  body?: Schema;
  crm: boolean;
}

/** What a test provides per operation: valid values, so that each variant is wrong in the planned way only. */
export interface Baseline {
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FuzzVariant {
  label: string;
  method: string;
  /** Path and query, already encoded (some deliberately malformed). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The refusal's message must name one of these (empty: no single field at fault). */
  fields: string[];
}

const DOCUMENT_PATH = join(__dirname, '../../openapi.yaml');

/** The operations of openapi.yaml, their parameters and resolved body schema. */
export function loadOperations(): FuzzOperation[] {
  const document = parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Record<string, any>;
  const resolve = (schema: any): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(lookup(document, schema.$ref));
    if (schema.allOf?.length === 1)
      return resolve({ ...lookup(document, schema.allOf[0].$ref), ...omit(schema, 'allOf') });
    const out: Schema = { ...schema };
    if (schema.properties)
      out.properties = Object.fromEntries(Object.entries<any>(schema.properties).map(([k, v]) => [k, resolve(v)]));
    if (schema.items) out.items = resolve(schema.items);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
      out.additionalProperties = resolve(schema.additionalProperties);
    return out;
  };
  const operations: FuzzOperation[] = [];
  for (const [template, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const params: any[] = op.parameters ?? [];
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        body: op.requestBody ? resolve(op.requestBody.content['application/json'].schema) : undefined,
        crm: template.startsWith('/crm-gateway/'),
      });
    }
  }
  return operations;
}

function lookup(document: Record<string, any>, ref: string): any {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, key) => node[key], document);
}

function omit<T extends object>(o: T, key: string): Partial<T> {
  const copy: Record<string, unknown> = { ...(o as Record<string, unknown>) };
  delete copy[key];
  return copy as Partial<T>;
}

// ---------------------------------------------------------------------------------------------------
// Values

const LONE_SURROGATES = ['\ud800', 'x\udfff', '\udbff\u0041'];
const NULS = ['\u0000', 'a\u0000b', 'abc\u0000'];
/** Strings that a careless implementation would interpret; valid text for a free-text field. */
export const INJECTIONS = [
  "'; DROP TABLE entitlement; --",
  "' OR '1'='1",
  '" OR ""="',
  '{"$gt": ""}',
  '$where',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '%00',
  '\\u0000',
  'null',
  '🎬🍿'.repeat(3),
  'ﬃ̀́Å',
  '\u202eevil',
  ' leading and trailing ',
];
/** Path and query values as sent on the wire (already percent-encoded; some deliberately malformed). */
const RAW_URL_VALUES = [
  '%00',
  'a%00b',
  '%ED%A0%80', // a lone surrogate's UTF-8 bytes: not valid UTF-8
  '%F0%9F', // truncated UTF-8
  '%FF',
  '%zz', // malformed percent-encoding
  '%',
  'x'.repeat(1100),
  '%2e%2e',
  '..',
  '%0d%0aSet-Cookie:%20x=1',
  encodeURIComponent("'; DROP TABLE offer; --"),
  encodeURIComponent('{"$ne": null}'),
  encodeURIComponent('<script>x</script>'),
  encodeURIComponent('🎬'),
  '%20',
];

/** More path values: ids of every odd shape (each encoded when sent). */
const PATH_VALUES = [
  '0',
  '-1',
  '1e309',
  ' ',
  '\t',
  'ä',
  '\u200b',
  'x'.repeat(129),
  'x'.repeat(257),
  'x'.repeat(1024),
  '/',
  '\\',
  ';',
  '*',
  'null',
  'undefined',
  '[object Object]',
  'true',
  '{}',
  'A'.repeat(36),
  '00000000-0000-0000-0000-00000000000G',
];

function wrongTypes(schema: Schema): unknown[] {
  const deep = nested(10, 'x');
  switch (schema.enum ? 'enum' : schema.type) {
    case 'enum':
      return [true, {}, [], ['x'], 'NOT_A_VALUE', deep];
    case 'boolean':
      return ['yes', 2, {}, [], ['x'], deep];
    case 'integer':
    case 'number':
      return ['x', true, {}, [], deep];
    case 'array':
      return ['x', 1, true, {}, deep[0]];
    case 'object':
      return ['x', 1, true, [], ['x']];
    default:
      // A string: int64 strings also take JSON integers, so no numbers for them.
      return schema.format === 'int64' ? [true, {}, [], ['1'], deep] : [12, true, {}, [], ['x'], 1.5, deep];
  }
}

/** Strings a string field must refuse, by its schema. */
function badStrings(schema: Schema): unknown[] {
  const out: unknown[] = [...NULS, ...LONE_SURROGATES];
  if (schema.maxLength !== undefined) out.push('x'.repeat(schema.maxLength + 1), 'é'.repeat(schema.maxLength + 1));
  if (schema.minLength && schema.minLength > 0) out.push('');
  if (schema.enum) out.push('NOT_A_VALUE', `${String(schema.enum[0])}\u0000`);
  if (schema.format === 'date-time')
    out.push('2024-13-45T00:00:00Z', 'yesterday', '2024-01-01', '2024-01-01T00:00:00', "'; DROP TABLE x; --");
  if (schema.format === 'int64') out.push('12abc', '0x10', '99999999999999999999999', '1e3');
  if (schema.pattern) out.push('A B/C', '..', 'a\tb', 'ä');
  return out;
}

/** An array nested `depth` levels deep around `leaf`. */
export function nested(depth: number, leaf: unknown): unknown[] {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value as unknown[];
}

/** The JSON text of an array nested `depth` levels deep (too deep to build as a value and stringify). */
function nestedText(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

// ---------------------------------------------------------------------------------------------------
// Body fields

interface FieldSite {
  /** Keys and indexes from the body's root. */
  at: (string | number)[];
  /** As the APIs name it: `offer.offer_prices[0].price.units`. */
  name: string;
  schema: Schema;
  required: boolean;
}

/** Every property the schema declares below `value` (and items present in the baseline), depth first. */
function fieldSites(schema: Schema, value: unknown, at: (string | number)[] = [], name = ''): FieldSite[] {
  const out: FieldSite[] = [];
  if (schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) {
      const childName = name ? `${name}.${key}` : key;
      const childAt = [...at, key];
      out.push({ at: childAt, name: childName, schema: child, required: (schema.required ?? []).includes(key) });
      const present = isObject(value) ? value[key] : undefined;
      if (present !== undefined && present !== null) out.push(...fieldSites(child, present, childAt, childName));
    }
  }
  if (schema.items && Array.isArray(value) && value.length > 0) {
    out.push(...fieldSites(schema.items, value[0], [...at, 0], `${name}[0]`).map((s) => ({ ...s })));
    if (schema.items.type === 'string')
      out.push({ at: [...at, 0], name: `${name}[0]`, schema: schema.items, required: false });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function setAt(root: unknown, at: (string | number)[], value: unknown): unknown {
  const copy = clone(root);
  let node: any = copy;
  for (const key of at.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null) node[key] = typeof key === 'number' ? [] : {};
    node = node[key];
  }
  node[at[at.length - 1]] = value;
  return copy;
}

function deleteAt(root: unknown, at: (string | number)[]): unknown {
  const copy = clone(root);
  let node: any = copy;
  for (const key of at.slice(0, -1)) node = node?.[key];
  if (node && typeof node === 'object') delete node[at[at.length - 1]];
  return copy;
}

/** Objects of the baseline body (the root included) where an unknown key can go, with their names. */
function objectSites(
  value: unknown,
  at: (string | number)[] = [],
  name = '',
): { at: (string | number)[]; name: string }[] {
  const out: { at: (string | number)[]; name: string }[] = [];
  if (isObject(value)) {
    out.push({ at, name });
    for (const [k, v] of Object.entries(value)) {
      // Map-valued fields (localized_title) take any key; their keys are validated differently.
      if (k.startsWith('localized_')) continue;
      out.push(...objectSites(v, [...at, k], name ? `${name}.${k}` : k));
    }
  } else if (Array.isArray(value) && value.length > 0) {
    out.push(...objectSites(value[0], [...at, 0], `${name}[0]`));
  }
  return out;
}

const join2 = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** How an API may name a key below `parent`: `a.key`, or `a["key"]` when the key is not an identifier. */
function keyNames(parent: string, key: string): string[] {
  return [join2(parent, key), `${parent}[${JSON.stringify(key)}]`];
}

// ---------------------------------------------------------------------------------------------------
// Variants

interface Draft {
  label: string;
  path?: Record<string, string>; // raw, encoded segment per path parameter
  query?: [string, string][]; // raw, encoded pairs
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: Buffer;
  fields: string[];
  /** Could be valid on its own: sent only with a body fault added (for operations that write). */
  noise?: boolean;
}

/**
 * Every malformed variant of one operation the generator knows, then a seeded sample of `count` of them
 * (the ones every operation must see, such as the oversized body, always kept).
 */
export function variantsOf(op: FuzzOperation, base: Baseline, seed: number, count: number): FuzzVariant[] {
  const random = seededRandom(seed);
  const drafts: Draft[] = [];
  const always: Draft[] = [];
  const writes = op.method !== 'GET';
  const paramName = (name: string) => (op.crm && name === 'id' ? '_id' : name);

  // Path parameters: each bad value in each parameter, alone and with an unknown query parameter.
  for (const name of op.pathParams) {
    const values = [...RAW_URL_VALUES, ...PATH_VALUES.map(encodeURIComponent), ...INJECTIONS.map(encodeURIComponent)];
    for (const raw of values) {
      drafts.push({ label: `path ${name}=${short(raw)}`, path: { [name]: raw }, fields: [] });
      drafts.push({
        label: `path ${name}=${short(raw)} &zz=1`,
        path: { [name]: raw },
        query: [['zz', '1']],
        fields: [],
      });
    }
    for (const s of NULS)
      drafts.push({ label: `path ${name} NUL`, path: { [name]: encodeURIComponent(s) }, fields: [paramName(name)] });
  }

  // Query parameters: bad values, repeats, unknown names; harmless-looking ones are noise on writes.
  const queryNames = [...op.queryParams];
  for (const name of queryNames) {
    const valid = base.query?.[name] ?? 'x';
    for (const raw of RAW_URL_VALUES)
      drafts.push({ label: `query ${name}=${short(raw)}`, query: [[name, raw]], fields: [], noise: true });
    for (const s of INJECTIONS)
      drafts.push({
        label: `query ${name}=${short(s)}`,
        query: [[name, encodeURIComponent(s)]],
        fields: [],
        noise: true,
      });
    for (const s of NULS)
      drafts.push({ label: `query ${name} NUL`, query: [[name, encodeURIComponent(s)]], fields: [name] });
    for (const n of ['-1', '0', '1e9', '99999999999999999999', '1.5', 'NaN', '', '[]', '{}'])
      drafts.push({ label: `query ${name}=${n}`, query: [[name, encodeURIComponent(n)]], fields: [], noise: true });
    drafts.push({
      label: `query ${name} repeated`,
      query: [
        [name, encodeURIComponent(valid)],
        [name, encodeURIComponent(`${valid}-other`)],
      ],
      fields: [name],
    });
    drafts.push({
      label: `query ${name} repeated same`,
      query: [
        [name, encodeURIComponent(valid)],
        [name, encodeURIComponent(valid)],
      ],
      fields: [name],
    });
  }
  for (const junk of ['zz_unknown', '__proto__', 'constructor', 'filter[$ne]', 'a.b', '%00', '%ED%A0%80'])
    drafts.push({ label: `query unknown ${junk}`, query: [[junk, '1']], fields: [], noise: true });
  drafts.push({ label: 'query NUL in a parameter name', query: [['a%00b', '1']], fields: [] });

  // Headers.
  drafts.push({
    label: 'x-correlation-id junk',
    headers: { 'x-correlation-id': 'x'.repeat(300) },
    fields: [],
    noise: true,
  });
  drafts.push({
    label: 'x-correlation-id injection',
    headers: { 'x-correlation-id': "'; DROP TABLE x; --" },
    fields: [],
    noise: true,
  });
  if (op.crm) {
    for (const tenant of ['', 'no-such-tenant', '../demo', 'x'.repeat(300), "'; DROP TABLE x; --", 'DEMO'])
      drafts.push({ label: `nv-tenant-id ${short(tenant)}`, headers: { 'nv-tenant-id': tenant }, fields: [] });
  }
  // Over 16 KiB of request line: 431 for every operation.
  always.push({ label: 'URL over 16 KiB', query: [['zz', 'x'.repeat(17 * 1024)]], fields: [] });

  if (op.body) {
    const body = base.body;
    const sites = fieldSites(op.body, body);
    for (const site of sites) {
      for (const v of wrongTypes(site.schema))
        drafts.push({
          label: `${site.name} = ${short(JSON.stringify(v))}`,
          body: setAt(body, site.at, v),
          fields: [site.name],
        });
      if (site.schema.type === 'string' || site.schema.enum)
        for (const v of badStrings(site.schema))
          drafts.push({
            label: `${site.name} = ${short(JSON.stringify(v))}`,
            body: setAt(body, site.at, v),
            fields: [site.name],
          });
      if (site.schema.type === 'string' && !site.schema.enum && !site.schema.format)
        for (const v of INJECTIONS)
          drafts.push({
            label: `${site.name} = ${short(v)} (injection)`,
            body: setAt(body, site.at, v),
            fields: [],
            noise: true,
          });
      if (site.schema.type === 'array' && site.schema.maxItems !== undefined) {
        const item = site.schema.items?.type === 'string' ? 'x' : {};
        drafts.push({
          label: `${site.name} over ${site.schema.maxItems} items`,
          body: setAt(
            body,
            site.at,
            Array.from({ length: site.schema.maxItems + 1 }, () => item),
          ),
          fields: [site.name],
        });
      }
      drafts.push({
        label: `${site.name} nested 40 deep`,
        body: setAt(body, site.at, nested(40, 1)),
        fields: ['body'],
      });
      if (site.required)
        drafts.push({ label: `${site.name} missing`, body: deleteAt(body, site.at), fields: [site.name] });
    }
    for (const o of objectSites(body)) {
      for (const key of ['zz_unknown', '$where', 'a.b', 'Name', 'x'.repeat(300), '\u00e9t\u00e9'])
        drafts.push({
          label: `unknown ${join2(o.name, short(key))}`,
          body: setAt(body, [...o.at, key], 1),
          fields: keyNames(o.name, key),
        });
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const text = injectKey(body, o.at, key);
        drafts.push({
          label: `refused key ${join2(o.name, key)}`,
          rawBody: Buffer.from(text),
          fields: [join2(o.name, key)],
        });
      }
      const nulKey = injectKey(body, o.at, 'a\u0000b');
      drafts.push({ label: `NUL in a key of ${o.name || 'body'}`, rawBody: Buffer.from(nulKey), fields: [] });
      const surrogateKey = injectKey(body, o.at, 'k\ud800');
      drafts.push({
        label: `surrogate in a key of ${o.name || 'body'}`,
        rawBody: Buffer.from(surrogateKey),
        fields: [],
      });
    }
    // Whole bodies that are not what the operation takes.
    const json = JSON.stringify(body);
    for (const raw of [
      '',
      '{',
      '{"a":',
      json.slice(0, -1),
      `${json}x`,
      `${json}${json}`,
      `\ufeff${json}`,
      '[]',
      '[{}]',
      'null',
      '"text"',
      '42',
      'true',
      '{}',
      `{"a":${nestedText(3000)}}`,
      nestedText(3000),
      `"${'\\ud800'}"`,
      'NaN',
      "{'a': 1}",
      '{"a":1,}',
    ])
      drafts.push({
        label: `body ${short(raw)}`,
        rawBody: Buffer.from(raw),
        fields: raw.includes('[[[[') ? ['body'] : [],
      });
    drafts.push({
      label: 'body with invalid UTF-8 in an unknown key',
      rawBody: Buffer.concat([Buffer.from('{"\u00ff'), Buffer.from([0xff, 0xfe]), Buffer.from(`":1,${json.slice(1)}`)]),
      fields: [],
    });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/json-patch+json',
      'application/jsonx',
    ])
      drafts.push({
        label: `content-type ${type}`,
        headers: { 'content-type': type },
        rawBody: Buffer.from(json),
        fields: [],
      });
    drafts.push({ label: 'no content-type', headers: { 'content-type': '' }, rawBody: Buffer.from(json), fields: [] });
    always.push({
      label: 'body over 1 MiB',
      rawBody: Buffer.from(JSON.stringify({ ...(isObject(body) ? body : {}), zz: 'x'.repeat(1024 * 1024 + 10) })),
      fields: [],
    });
  }

  const sample = shuffle(drafts, random).slice(0, Math.max(0, count - always.length));
  return [...always, ...sample].map((d) => finish(op, base, d, writes));
}

/** `text` (the baseline body's JSON) with `"key": 1` added in the object at `at` (keys JSON.stringify would drop). */
function injectKey(body: unknown, at: (string | number)[], key: string): string {
  const marker = 'zz_marker_for_injection';
  const withMarker = setAt(body, [...at, marker], 1);
  return JSON.stringify(withMarker).replace(`"${marker}":1`, `${JSON.stringify(key)}:{"polluted":true}`);
}

function finish(op: FuzzOperation, base: Baseline, d: Draft, writes: boolean): FuzzVariant {
  let body: Buffer | undefined = d.rawBody;
  let fields = d.fields;
  if (!body && op.body) {
    let value = d.body ?? base.body;
    if (writes && d.noise) {
      // Noise alone may be valid: add a fault that is certain (an unknown field at the root).
      // The noise may be refused first (a NUL in a query parameter): no single field is then expected.
      value = isObject(value) ? { ...value, zz_fuzz_fault: 1 } : value;
      fields = [];
    }
    body = Buffer.from(JSON.stringify(value));
  }
  const path = op.template.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => d.path?.[name] ?? encodeURIComponent(base.path?.[name] ?? 'x'),
  );
  const query: [string, string][] = [];
  const overridden = new Set((d.query ?? []).map(([k]) => k));
  for (const [k, v] of Object.entries(base.query ?? {}))
    if (!overridden.has(k)) query.push([encodeURIComponent(k), encodeURIComponent(v)]);
  query.push(...(d.query ?? []));
  const url = query.length ? `${path}?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : path;
  const headers: Record<string, string> = { ...base.headers };
  if (body) headers['content-type'] = 'application/json';
  for (const [k, v] of Object.entries(d.headers ?? {})) {
    if (v === '') delete headers[k];
    else headers[k] = v;
  }
  if (d.headers?.['nv-tenant-id'] === '') headers['nv-tenant-id'] = '';
  return { label: d.label, method: op.method, url, headers, body, fields };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function short(s: string): string {
  const printable = JSON.stringify(s).slice(1, -1);
  return printable.length > 40 ? `${printable.slice(0, 37)}...(${s.length})` : printable;
}
