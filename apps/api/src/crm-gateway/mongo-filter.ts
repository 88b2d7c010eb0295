import { Condition, ConditionOp, ConditionValue } from '@app/database';
import { DomainError, DomainErrorCode } from '@app/domain';
import { dateTimeProblem, parseCrmDateTime, typeName } from './crm-validators';

/**
 * A MongoDB-style filter (`{"productType": "CAPABILITY", "expiryDate": {"$gte": "2024-01-01T00:00:00Z"}}`)
 * read into the store's neutral conditions (`Condition` of @app/database) on the catalog's domain fields:
 * field names come only from the catalog and values are typed, so no input ever reaches SQL as text (the
 * store binds them as parameters and owns the SQL: columns, NULL, the order of absent values).
 *
 * Supported: equality (`{"f": v}` or `{"f": {"$eq": v}}`), `$ne`, `$in`, `$gt`, `$gte`, `$lt`, `$lte`, several
 * operators on one field and several fields, all combined with AND. `null` means "absent" (`{"deviceId": null}`:
 * no device) and is allowed with `$eq`, `$ne` and inside `$in`, on fields that can be absent. As in MongoDB,
 * `$ne` also matches entitlements where the field is absent. Anything else (unknown fields or operators,
 * `$and`/`$or`/`$where`, wrong value types, invalid JSON) is refused with a message naming the offending path.
 */

export type FilterValueType = 'string' | 'date' | 'boolean' | 'enum';

export interface FilterField<F extends string = string> {
  /** The store's (domain) field the wire field shows. */
  field: F;
  type: FilterValueType;
  /** Can the field be absent on the wire? Only then is null a value to filter on. */
  nullable: boolean;
  /** string: longest value that can be stored. */
  maxLength?: number;
  /** enum: wire value → domain value. */
  values?: Readonly<Record<string, string>>;
}

/** Wire field name → the domain field it shows. A Map, so `constructor` or `__proto__` are never fields. */
export type FilterCatalog<F extends string = string> = ReadonlyMap<string, FilterField<F>>;

export const FILTER_OPERATORS = ['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
const ORDERING: readonly FilterOperator[] = ['$gt', '$gte', '$lt', '$lte'];
const CONDITION_OPS: Readonly<Record<FilterOperator, ConditionOp>> = {
  $eq: 'eq',
  $ne: 'ne',
  $in: 'in',
  $gt: 'gt',
  $gte: 'gte',
  $lt: 'lt',
  $lte: 'lte',
};

export const MAX_FILTER_LENGTH = 8192;
export const MAX_FILTER_CONDITIONS = 50;
export const MAX_IN_VALUES = 500;

/** The reason of a DomainError that the CRM gateway answers with errorCode 4001. */
export const INVALID_QUERY = 'INVALID_QUERY';

/** An invalid list query (filter, sort, fields, limit, page): 400 with errorCode 4001. */
export function invalidQuery(field: string, description: string): DomainError {
  return new DomainError(
    DomainErrorCode.InvalidArgument,
    `${field}: ${description}`,
    [{ field, description }],
    INVALID_QUERY,
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses the `filter` query parameter into AND-ed conditions (empty: no condition).
 * Throws an INVALID_QUERY DomainError naming the offending path (`filter.expiryDate.$gt`).
 */
export function parseMongoFilter<F extends string>(
  text: string | undefined,
  catalog: FilterCatalog<F>,
  param = 'filter',
): Condition<F>[] {
  if (text === undefined || text.trim() === '') return [];
  if (text.length > MAX_FILTER_LENGTH) throw invalidQuery(param, `must be at most ${MAX_FILTER_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalidQuery(param, `is not valid JSON (${(err as Error).message})`);
  }
  return translateMongoFilter(parsed, catalog, param);
}

/** Translates an already parsed filter object (see parseMongoFilter). */
export function translateMongoFilter<F extends string>(
  filter: unknown,
  catalog: FilterCatalog<F>,
  param = 'filter',
): Condition<F>[] {
  if (!isPlainObject(filter)) throw invalidQuery(param, `must be a JSON object (got ${typeName(filter)})`);
  const clauses: Condition<F>[] = [];
  const known = () => [...catalog.keys()].join(', ');
  for (const [name, condition] of Object.entries(filter)) {
    const path = `${param}.${name}`;
    if (name.startsWith('$')) {
      throw invalidQuery(
        path,
        'top-level operators are not supported: conditions on several fields are combined with AND',
      );
    }
    const field = catalog.get(name);
    if (!field) throw invalidQuery(path, `unknown field (known: ${known()})`);
    if (isPlainObject(condition)) {
      const operators = Object.entries(condition);
      if (operators.length === 0)
        throw invalidQuery(path, `must be a value or an object of operators (${FILTER_OPERATORS.join(', ')})`);
      for (const [op, value] of operators) {
        if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
          throw invalidQuery(`${path}.${op}`, `unknown operator (supported: ${FILTER_OPERATORS.join(', ')})`);
        }
        clauses.push(clause(field, op as FilterOperator, operand(field, op as FilterOperator, value, `${path}.${op}`)));
      }
    } else {
      clauses.push(clause(field, '$eq', operand(field, '$eq', condition, path)));
    }
    if (clauses.length > MAX_FILTER_CONDITIONS)
      throw invalidQuery(param, `has more than ${MAX_FILTER_CONDITIONS} conditions`);
  }
  return clauses;
}

function operand(
  field: FilterField,
  op: FilterOperator,
  value: unknown,
  path: string,
): ConditionValue | ConditionValue[] {
  if (ORDERING.includes(op) && (field.type === 'boolean' || field.type === 'enum')) {
    throw invalidQuery(
      path,
      `does not apply to ${field.type === 'boolean' ? 'a boolean' : 'an enumerated'} field (use $eq, $ne or $in)`,
    );
  }
  if (op === '$in') {
    if (!Array.isArray(value)) throw invalidQuery(path, `must be an array (got ${typeName(value)})`);
    if (value.length === 0 || value.length > MAX_IN_VALUES)
      throw invalidQuery(path, `must list 1 to ${MAX_IN_VALUES} values`);
    return value.map((v, i) => scalar(field, v, `${path}[${i}]`, true));
  }
  return scalar(field, value, path, op === '$eq' || op === '$ne');
}

function scalar(field: FilterField, value: unknown, path: string, nullAllowed: boolean): ConditionValue {
  if (value === null) {
    if (!field.nullable) throw invalidQuery(path, 'cannot be null: the field is always present');
    if (!nullAllowed) throw invalidQuery(path, 'null can only be used with $eq, $ne or $in');
    return null;
  }
  switch (field.type) {
    case 'string': {
      if (typeof value !== 'string') throw invalidQuery(path, `must be a string (got ${typeName(value)})`);
      if (field.maxLength !== undefined && value.length > field.maxLength)
        throw invalidQuery(path, `must be at most ${field.maxLength} characters`);
      if (value.includes('\u0000')) throw invalidQuery(path, 'must not contain NUL characters');
      return value;
    }
    case 'date': {
      const date = parseCrmDateTime(value);
      if (!date) throw invalidQuery(path, dateTimeProblem(value) ?? 'is not a valid date-time');
      return date;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidQuery(path, `must be true or false (got ${typeName(value)})`);
      return value;
    case 'enum': {
      const values = field.values ?? {};
      if (typeof value !== 'string' || !Object.hasOwn(values, value)) {
        throw invalidQuery(path, `must be one of ${Object.keys(values).join(', ')}`);
      }
      return values[value];
    }
  }
}

function clause<F extends string>(
  field: FilterField<F>,
  op: FilterOperator,
  value: ConditionValue | ConditionValue[],
): Condition<F> {
  return { field: field.field, op: CONDITION_OPS[op], values: Array.isArray(value) ? value : [value] };
}
