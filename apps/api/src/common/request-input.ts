import { DomainError, DomainErrorCode, FieldViolation } from '@app/domain';
import { BadRequestException } from '@nestjs/common';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { CORRELATION_ID_HEADER } from '../logging/correlation-id';
import { ErrorRenderer } from './error-reply';

/**
 * The boundary every request crosses before any API style reads it, shared by both styles: the JSON body
 * parser (nesting depth, refused keys, text PostgreSQL cannot store), the same text check on path and query
 * parameters, and the answers Fastify and Node would otherwise write in their own body (a request line or
 * header Node cannot parse, 503 while shutting down). Each refusal is a 4xx naming the field, rendered in
 * the error body of the API the URL belongs to, before anything is read or stored.
 */

/**
 * Deepest nesting of arrays and objects a JSON body may have. The deepest legitimate body (an offer update:
 * body, offer, offer_prices, a price, geo_restrictions_allow, country_codes) is 6 levels; 32 leaves room
 * and keeps every recursive reader (class-transformer, class-validator, the wire reader) far from the stack limit.
 */
export const MAX_JSON_DEPTH = 32;

/** Object keys refused anywhere in a body: prototype pollution vectors, never a field of either API. */
export const REFUSED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** At most this many violations are listed for one body (a fuzzer's body can have thousands). */
const MAX_VIOLATIONS = 20;

/**
 * Why a string cannot be stored as PostgreSQL text: NUL cannot be, and an unpaired UTF-16 surrogate has no
 * UTF-8 form (the driver would fail or replace it silently).
 */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (/[\uD800-\uDFFF]/u.test(s)) return 'must be valid Unicode text (no unpaired surrogates)';
  return undefined;
}

/** Whether `text` (JSON) nests arrays and objects deeper than `max`, found without parsing or recursion. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A key as it appears in a field path: as is when printable, JSON-quoted (escaped) otherwise. */
function keyInPath(key: string): string {
  return /^[\w$@.:-]*$/.test(key) ? key : JSON.stringify(key);
}

function pathOf(parent: string, key: string): string {
  return parent ? `${parent}.${keyInPath(key)}` : keyInPath(key);
}

/**
 * Every refused key and unstorable string of a parsed JSON value (keys included), by field path
 * (`offer.offer_prices[0].id`). The value's depth is bounded by the parser, so recursion is safe.
 */
export function jsonInputViolations(value: unknown, path = '', out: FieldViolation[] = []): FieldViolation[] {
  if (out.length >= MAX_VIOLATIONS) return out;
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) out.push({ field: path || 'body', description: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => jsonInputViolations(item, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const field = pathOf(path, key);
      if (REFUSED_KEYS.includes(key)) {
        out.push({ field, description: `the key ${key} is refused (${REFUSED_KEYS.join(', ')} are never accepted)` });
        continue;
      }
      const problem = textProblem(key);
      if (problem) out.push({ field, description: `key ${problem}` });
      else jsonInputViolations((value as Record<string, unknown>)[key], field, out);
    }
  }
  return out.slice(0, MAX_VIOLATIONS);
}

/**
 * The application/json body parser of both APIs: empty or malformed JSON is a 400; nesting deeper than
 * MAX_JSON_DEPTH, a refused key, NUL or an unpaired surrogate anywhere is an invalid argument naming the field.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0)
    throw new BadRequestException("Body cannot be empty when content-type is set to 'application/json'");
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH))
    throw DomainError.invalidField('body', `must not nest arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BadRequestException(`Body is not valid JSON: ${(err as Error).message}`);
  }
  const violations = jsonInputViolations(value);
  if (violations.length) throw DomainError.invalidArgument(violations);
  return value;
}

/**
 * Every unstorable path or query parameter (names included) and, when the API asks, every query parameter
 * given more than once (no operation takes a list that way), by the name the API gives it.
 */
export interface ParameterRules {
  /** A path parameter's name in messages, when not its own (`id` → `_id`). */
  names: Readonly<Record<string, string>>;
  /** Refuse a query parameter given more than once (else the API's own reader does). */
  refuseRepeated: boolean;
}

export function parameterViolations(
  params: unknown,
  query: unknown,
  rules: ParameterRules = { names: {}, refuseRepeated: true },
): FieldViolation[] {
  const names = rules.names;
  const out: FieldViolation[] = [];
  for (const source of [params, query]) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source)) {
      const name = source === params ? (names[key] ?? key) : key;
      const nameProblem = textProblem(name);
      if (nameProblem) {
        out.push({ field: keyInPath(name), description: `parameter name ${nameProblem}` });
        continue;
      }
      if (Array.isArray(value) && rules.refuseRepeated) {
        out.push({ field: name, description: `must be given once (got ${value.length} values)` });
        continue;
      }
      const problem = (Array.isArray(value) ? value : [value])
        .map((v) => (typeof v === 'string' ? textProblem(v) : undefined))
        .find(Boolean);
      if (problem) out.push({ field: name, description: problem });
    }
  }
  return out.slice(0, MAX_VIOLATIONS);
}

/** The request line's path of a raw packet Node could not parse (`GET /crm-gateway/... HTTP/1.1`), if any. */
function pathOfRawPacket(packet: unknown): string {
  if (!Buffer.isBuffer(packet)) return '/';
  const line = packet.subarray(0, 256).toString('latin1');
  return /^[A-Z]+ (\/\S*)/.exec(line)?.[1] ?? '/';
}

/**
 * Installs the boundary on the Fastify instance. `renderFor(url)` picks the API style's error renderer.
 * Call before the application initialises (Nest's own body parsers must be off: `bodyParser: false`).
 */
export function installRequestInput(
  fastify: FastifyInstance,
  renderFor: (url: string) => ErrorRenderer,
  /** The API's parameter rules; undefined: the route's parameters are not checked (health, docs). */
  parameterRulesFor: (url: string) => ParameterRules | undefined = () => ({ names: {}, refuseRepeated: true }),
): void {
  // application/json only: other media types (text/plain, forms, XML...) answer 415.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    // While shutting down: requests still arriving on open connections answer 503 in the API's body.
    if (closing) {
      const { status, body } = renderFor(request.url)(
        new DomainError(DomainErrorCode.Unavailable, 'the service is shutting down: retry on another instance'),
      );
      void reply.header(CORRELATION_ID_HEADER, request.id).header('connection', 'close').code(status).send(body);
      return;
    }
    void reply.header(CORRELATION_ID_HEADER, request.id);
    const rules = parameterRulesFor(request.url);
    const violations = rules ? parameterViolations(request.params, request.query, rules) : [];
    done(violations.length ? DomainError.invalidArgument(violations) : undefined);
  });
}

/**
 * Fastify's clientErrorHandler: a request Node cannot parse (a request line or headers over the limit → 431,
 * a malformed header → 400, a client timeout → 408) answers in the error body of the API its path (when
 * readable) belongs to, with a correlation id, and the connection closes.
 */
export function clientErrorHandler(renderFor: (url: string) => ErrorRenderer) {
  return (err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let status = 400;
    let message = 'the request could not be parsed (malformed request line or header)';
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      message = 'the request line and headers exceed the size limit (16 KiB)';
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      message = 'the request was not received in time';
    }
    const rendered = renderFor(pathOfRawPacket(err.rawPacket))(
      Object.assign(new Error(message), { statusCode: status }),
    );
    const body = JSON.stringify(rendered.body);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status]}\r\n` +
          `content-type: application/json; charset=utf-8\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\n` +
          `${CORRELATION_ID_HEADER}: ${randomUUID()}\r\n` +
          `connection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(err);
  };
}
