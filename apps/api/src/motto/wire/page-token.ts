import { DomainError } from '@app/domain';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/**
 * Opaque page tokens for keyset pagination: the sort key of the last row returned, base64url JSON with a
 * kind tag. Page N costs what page 1 costs (no OFFSET). A token only moves the position inside a query
 * whose scope (project, filter) comes from the request, so a forged one can reveal nothing more.
 */
export function encodePageToken(kind: string, key: unknown[]): string {
  return Buffer.from(JSON.stringify({ k: kind, v: key })).toString('base64url');
}

/**
 * The key a page token holds, or undefined for no token. A token of another list, of the wrong arity,
 * or whose key `isKey` rejects answers invalid_argument on page_token.
 */
export function decodePageToken<T extends unknown[]>(
  kind: string,
  token: string | undefined,
  arity: number,
  isKey: (key: unknown[]) => key is T,
): T | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; v?: unknown };
    if (parsed.k === kind && Array.isArray(parsed.v) && parsed.v.length === arity && isKey(parsed.v)) return parsed.v;
  } catch {
    // fall through
  }
  throw DomainError.invalidField(
    'page_token',
    'is not a page token of this list (pass next_page_token of the previous page unchanged)',
  );
}

/** A query parameter the call cannot do without. */
export function requiredQuery(name: string, value: string | undefined): string {
  if (!value) throw DomainError.invalidField(name, 'is required');
  return value;
}

/** `page_size` from the query: absent or 0 means the default; at most MAX_PAGE_SIZE. */
export function pageSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(raw)) throw DomainError.invalidField('page_size', `must be an integer from 0 to ${MAX_PAGE_SIZE}`);
  const n = Number(raw);
  if (n > MAX_PAGE_SIZE) throw DomainError.invalidField('page_size', `must be at most ${MAX_PAGE_SIZE}`);
  return n === 0 ? DEFAULT_PAGE_SIZE : n;
}
