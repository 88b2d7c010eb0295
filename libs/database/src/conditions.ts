import { EntityKey, EntitySchema, raw } from '@mikro-orm/postgresql';

export type ConditionOp = 'eq' | 'ne' | 'in' | 'lt' | 'lte' | 'gt' | 'gte';

/** A condition's value; `null` is "absent" (stored NULL). */
export type ConditionValue = string | boolean | Date | null;

/**
 * A neutral filter condition on a store's DOMAIN field names (`subjectId`, `createdAt`, or a named computed
 * field such as the entitlement's `expiration`), whatever API it came from. Conditions are ANDed; `in` takes
 * all values, the other operators the first. Each store maps its fields to columns or SQL itself, and every
 * value is a bound parameter, never SQL text.
 *
 * `null` means absent and goes with `eq` (absent), `ne` (present) and inside `in`; as in MongoDB, `ne` with a
 * value also matches an absent field. One condition type for every store rather than one per API: the Motto
 * lists compile to `eq`/`in`/ordering operators with values only, and their filters come out exactly as before
 * (conditions.spec.ts pins the shapes); `ne` and `null` add what the CRM gateway's filter needs.
 */
export interface Condition<F extends string = string> {
  field: F;
  op: ConditionOp;
  values: readonly ConditionValue[];
}

/** A neutral sort key on a store's domain field name. */
export interface OrderKey<F extends string = string> {
  field: F;
  direction: 'asc' | 'desc';
}

/**
 * Where a condition field lives: an entity property, or a SQL expression of the row (given its alias); and
 * whether it can be absent (NULL), which `ne` and the order of absent values depend on.
 */
export type FieldMapping =
  { property: string; nullable: boolean } | { sql: (alias: string) => string; nullable: boolean };

/** The mapping of an entity property, nullable as its schema declares it (one source of truth). */
export function propertyOf<T>(schema: EntitySchema<T>, property: EntityKey<T>): FieldMapping {
  const declared = schema.meta.properties[property];
  if (!declared) throw new Error(`no property ${JSON.stringify(property)} in ${schema.meta.className}`);
  return { property, nullable: declared.nullable === true };
}

function mappingOf<F extends string>(fields: Readonly<Record<F, FieldMapping>>, field: F): FieldMapping {
  if (!Object.hasOwn(fields, field)) throw new Error(`no condition field ${JSON.stringify(field)} in this store`);
  return fields[field];
}

/** The key of a field in a MikroORM filter or orderBy. A raw key is consumed when MikroORM uses it: made per use. */
function keyOf(mapping: FieldMapping): string {
  return 'property' in mapping ? mapping.property : raw<object, string>((alias: string) => mapping.sql(alias));
}

const ORDERING: Partial<Record<ConditionOp, string>> = { lt: '$lt', lte: '$lte', gt: '$gt', gte: '$gte' };

function filterOf({ field, op, values }: Condition, mapping: FieldMapping): Record<string, unknown> {
  const on = (condition: unknown) => ({ [keyOf(mapping)]: condition });
  const present = values.filter((v) => v !== null);
  const absent = present.length < values.length;
  switch (op) {
    case 'eq':
      return absent ? on(null) : on({ $eq: values[0] });
    case 'ne':
      if (absent) return on({ $ne: null });
      // MongoDB's $ne matches documents without the field; SQL's <> would not match NULL.
      return mapping.nullable ? { $or: [on({ $ne: values[0] }), on(null)] } : on({ $ne: values[0] });
    case 'in':
      if (!absent) return on({ $in: [...values] });
      return present.length ? { $or: [on({ $in: present }), on(null)] } : on(null);
    default:
      if (absent) throw new Error(`condition on ${JSON.stringify(field)}: null cannot be used with ${op}`);
      return on({ [ORDERING[op]!]: values[0] });
  }
}

/** The MikroORM filters of the conditions (one per condition, to AND). An unmapped field is a programming error. */
export function whereOf<F extends string>(
  conditions: readonly Condition<F>[],
  fields: Readonly<Record<F, FieldMapping>>,
): Record<string, unknown>[] {
  return conditions.map((c) => filterOf(c, mappingOf(fields, c.field)));
}

/**
 * The same conditions as SQL, for stores that read through the driver (directQuery): one boolean expression per
 * condition, to AND, on the row alias `alias`; each value is appended to `params` and referenced as `$n`.
 * `column` names a property's column. Same semantics as whereOf (conditions.spec.ts runs both on one table).
 */
export function sqlWhereOf<F extends string>(
  conditions: readonly Condition<F>[],
  fields: Readonly<Record<F, FieldMapping>>,
  alias: string,
  column: (property: string) => string,
  params: unknown[],
): string[] {
  return conditions.map(({ field, op, values }) => {
    const mapping = mappingOf(fields, field);
    const expr = sqlExpressionOf(mapping, alias, column);
    const param = (value: unknown) => `$${params.push(value)}`;
    const present = values.filter((v) => v !== null);
    const absent = present.length < values.length;
    switch (op) {
      case 'eq':
        return absent ? `${expr} is null` : `${expr} = ${param(values[0])}`;
      case 'ne':
        if (absent) return `${expr} is not null`;
        return mapping.nullable
          ? `(${expr} <> ${param(values[0])} or ${expr} is null)`
          : `${expr} <> ${param(values[0])}`;
      case 'in': {
        if (!present.length) return absent ? `${expr} is null` : 'false';
        const list = `${expr} in (${present.map(param).join(', ')})`;
        return absent ? `(${list} or ${expr} is null)` : list;
      }
      default:
        if (absent) throw new Error(`condition on ${JSON.stringify(field)}: null cannot be used with ${op}`);
        return `${expr} ${SQL_ORDERING[op]} ${param(values[0])}`;
    }
  });
}

/**
 * The SQL `order by` terms of the keys, most significant first. An absent value sorts below every value (first
 * ascending, last descending), as in MongoDB; PostgreSQL's default is the opposite.
 */
export function sqlOrderByOf<F extends string>(
  keys: readonly OrderKey<F>[],
  fields: Readonly<Record<F, FieldMapping>>,
  alias: string,
  column: (property: string) => string,
): string[] {
  return keys.map(({ field, direction }) => {
    const mapping = mappingOf(fields, field);
    const nulls = mapping.nullable ? (direction === 'asc' ? ' nulls first' : ' nulls last') : '';
    return `${sqlExpressionOf(mapping, alias, column)} ${direction}${nulls}`;
  });
}

const SQL_ORDERING: Partial<Record<ConditionOp, string>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

function sqlExpressionOf(mapping: FieldMapping, alias: string, column: (property: string) => string): string {
  return 'property' in mapping ? `${alias}."${column(mapping.property)}"` : mapping.sql(alias);
}
