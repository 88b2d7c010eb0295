import { Condition, EntitlementField, OrderKey } from '@app/database';
import { DomainError } from '@app/domain';
import { CRM_FIELD_NAMES, CRM_FIELDS, CrmFieldName } from './crm-entitlement.mapper';
import { typeName } from './crm-validators';
import { invalidQuery, isPlainObject, parseMongoFilter } from './mongo-filter';

/**
 * The query parameters of GET /crm-gateway/v1/rmg/v1/entitlements, read and checked (errorCode 4001 for any
 * problem), and of POST (`prohibitDuplicateProductPurchase`). Unknown parameters are refused: a typo such as
 * `prohibitDuplicatePurchase=true` must not silently switch a rule off.
 */

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
export const MAX_PAGE = 1_000_000;
const LIST_PARAMS = ['filter', 'limit', 'page', 'sort', 'fields'];

export interface SortKey {
  field: CrmFieldName;
  direction: 1 | -1;
}

export interface CrmListQuery {
  /** AND-ed conditions on the entitlement's fields (the tenant is added by the service). */
  where: Condition<EntitlementField>[];
  /** The caller's sort keys (default: created ascending); `_id` breaks ties (the store adds it). */
  sort: SortKey[];
  /** The fields to return (`_id` always); undefined: all. */
  fields?: CrmFieldName[];
  /** 0: count only. */
  limit: number;
  offset: number;
}

type QueryParams = Record<string, unknown>;

/** The one value of a query parameter; a repeated parameter is refused. */
function single(
  query: QueryParams,
  name: string,
  invalid: (field: string, description: string) => DomainError,
): string | undefined {
  if (!Object.hasOwn(query, name)) return undefined;
  const value = query[name];
  if (typeof value !== 'string')
    throw invalid(name, Array.isArray(value) ? 'must be given once' : `must be a string (got ${typeName(value)})`);
  return value;
}

function refuseUnknown(
  query: QueryParams,
  allowed: readonly string[],
  invalid: (field: string, description: string) => DomainError,
): void {
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name))
      throw invalid(name, `unknown query parameter (allowed: ${allowed.join(', ') || 'none'})`);
  }
}

function integer(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw invalidQuery(name, `must be an integer from ${min} to ${max}`);
  return Number(raw);
}

export function parseCrmListQuery(query: QueryParams): CrmListQuery {
  refuseUnknown(query, LIST_PARAMS, invalidQuery);
  const limit = integer(single(query, 'limit', invalidQuery), 'limit', 0, MAX_LIMIT);
  const page = integer(single(query, 'page', invalidQuery), 'page', 1, MAX_PAGE);
  if (page !== undefined && limit === undefined) throw invalidQuery('page', 'needs limit (the page size)');
  const size = limit ?? DEFAULT_LIMIT;
  return {
    where: parseMongoFilter(single(query, 'filter', invalidQuery), CRM_FIELDS),
    sort: parseSort(single(query, 'sort', invalidQuery)),
    fields: parseFields(single(query, 'fields', invalidQuery)),
    limit: size,
    offset: ((page ?? 1) - 1) * size,
  };
}

const knownFields = () => CRM_FIELD_NAMES.join(', ');
const isField = (name: string): name is CrmFieldName => (CRM_FIELD_NAMES as readonly string[]).includes(name);

/** `{"<field>": 1 | -1, ...}`: keys in order of significance. */
export function parseSort(text: string | undefined): SortKey[] {
  if (text === undefined || text.trim() === '') return [];
  if (text.length > 1024) throw invalidQuery('sort', 'must be at most 1024 characters');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalidQuery('sort', `is not valid JSON (${(err as Error).message}); expected {"<field>": 1 | -1}`);
  }
  if (!isPlainObject(parsed))
    throw invalidQuery('sort', `must be a JSON object {"<field>": 1 | -1} (got ${typeName(parsed)})`);
  return Object.entries(parsed).map(([name, direction]) => {
    if (!isField(name)) throw invalidQuery(`sort.${name}`, `unknown field (known: ${knownFields()})`);
    if (direction !== 1 && direction !== -1)
      throw invalidQuery(`sort.${name}`, 'must be 1 (ascending) or -1 (descending)');
    return { field: name, direction };
  });
}

/** A comma-separated list (`productId,expiryDate`) or a JSON array of names (`["productId","expiryDate"]`). */
export function parseFields(text: string | undefined): CrmFieldName[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (text.length > 1024) throw invalidQuery('fields', 'must be at most 1024 characters');
  let names: unknown[];
  if (text.trim().startsWith('[')) {
    try {
      names = JSON.parse(text) as unknown[];
    } catch (err) {
      throw invalidQuery('fields', `is not a valid JSON array (${(err as Error).message})`);
    }
    if (!Array.isArray(names))
      throw invalidQuery('fields', 'must be a comma-separated list or a JSON array of field names');
  } else {
    names = text
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
  }
  const fields = new Set<CrmFieldName>(['_id']);
  names.forEach((name, i) => {
    if (typeof name !== 'string') throw invalidQuery(`fields[${i}]`, `must be a field name (got ${typeName(name)})`);
    if (!isField(name)) throw invalidQuery(`fields.${name}`, `unknown field (known: ${knownFields()})`);
    fields.add(name);
  });
  return [...fields];
}

/**
 * The order of a list, as the store's sort keys: the caller's keys on the fields they show (default: created
 * ascending). The store puts absent values first ascending and last descending (as MongoDB), sorts validFrom
 * as shown (the creation time when absent), and breaks ties by `_id` (the entitlement's id).
 */
export function crmOrderBy(sort: readonly SortKey[]): OrderKey<EntitlementField>[] {
  const keys: readonly SortKey[] = sort.length ? sort : [{ field: 'created', direction: 1 }];
  return keys.map(({ field, direction }) => ({
    field: CRM_FIELDS.get(field)!.field,
    direction: direction === 1 ? 'asc' : 'desc',
  }));
}

/** POST's query: `prohibitDuplicateProductPurchase` (`true` or `false`, default false); errorCode 4000. */
export function readCreateQuery(query: QueryParams): { prohibitDuplicatePurchase: boolean } {
  const param = 'prohibitDuplicateProductPurchase';
  refuseUnknown(query, [param], DomainError.invalidField);
  const value = single(query, param, DomainError.invalidField);
  if (value === undefined || value === '') return { prohibitDuplicatePurchase: false };
  if (value !== 'true' && value !== 'false') throw DomainError.invalidField(param, 'must be true or false');
  return { prohibitDuplicatePurchase: value === 'true' };
}

/** Routes without query parameters refuse any (errorCode 4000). */
export function refuseQuery(query: QueryParams): void {
  refuseUnknown(query, [], DomainError.invalidField);
}
