import { DomainError, FieldViolation } from '@app/domain';

/**
 * Small helpers for checking wire input (JSON as parsed) and naming the offending field the way the
 * caller wrote it: `offer_prices[0].price.nanos`, `localized_title.EN`.
 */

/** The outcome of validating wire input: the domain value when it is valid, otherwise every violation. */
export interface Validated<T> {
  value?: T;
  violations: FieldViolation[];
}

export function validated<T>(value: T, violations: FieldViolation[]): Validated<T> {
  return violations.length > 0 ? { violations } : { value, violations };
}

/** The value, or an invalid-argument DomainError listing every violation. */
export function valueOrThrow<T>(result: Validated<T>): T {
  if (result.violations.length > 0 || result.value === undefined) {
    throw DomainError.invalidArgument(result.violations);
  }
  return result.value;
}

export type WireObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isWireObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, with its article, for messages: `must be a string (got a number)`. */
export function wireTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function fieldPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** `localized_title.en`, or `localized_title["en US"]` when the key is not a plain word. */
export function mapKeyPath(parent: string, key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? fieldPath(parent, key) : `${parent}[${JSON.stringify(key)}]`;
}

/** A caller's value as JSON for a message (`"eur"`, `2`), cut short when long. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}

/** One violation per key of `obj` not in `known`, with a hint when the key is a camelCase spelling. */
export function unknownFieldViolations(obj: WireObject, known: readonly string[], path: string): FieldViolation[] {
  return Object.keys(obj)
    .filter((key) => !known.includes(key))
    .map((key) => ({ field: mapKeyPath(path, key), description: unknownFieldDescription(key, known) }));
}

function unknownFieldDescription(key: string, known: readonly string[]): string {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake !== key && known.includes(snake) ? `unknown field (did you mean "${snake}"?)` : 'unknown field';
}

/** Length in Unicode code points, as PostgreSQL counts characters (not UTF-16 units). */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * PostgreSQL text cannot hold NUL (the insert would fail), and an unpaired surrogate would be replaced
 * silently when encoded as UTF-8; both are refused up front.
 */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (/[\uD800-\uDFFF]/u.test(s)) return 'must be valid Unicode text (no unpaired surrogates)';
  return undefined;
}

/** Text of `min` to `max` characters; `min` 0 means it may be empty. */
export function stringProblem(s: string, min: number, max: number): string | undefined {
  const text = textProblem(s);
  if (text) return text;
  const n = charLength(s);
  if (n >= min && n <= max) return undefined;
  return min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters`;
}
