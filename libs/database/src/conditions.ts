import { raw } from '@mikro-orm/postgresql';

export type ConditionOp = 'eq' | 'in' | 'lt' | 'lte' | 'gt' | 'gte';

/**
 * A neutral filter condition on a store's DOMAIN field names (`subjectId`, `createdAt`, or a named computed
 * field such as the entitlement's `expiration`), whatever API it came from. Conditions are ANDed; `in` takes
 * all values, the other operators the first. Each store maps its fields to columns or SQL itself, and every
 * value is a bound parameter, never SQL text.
 */
export interface Condition<F extends string = string> {
  field: F;
  op: ConditionOp;
  values: readonly (string | boolean | Date)[];
}

/** Where a condition field lives: an entity property, or a SQL expression of the row (given its alias). */
export type FieldMapping = string | { sql: (alias: string) => string };

const OPERATORS: Record<ConditionOp, string> = { eq: '$eq', in: '$in', lt: '$lt', lte: '$lte', gt: '$gt', gte: '$gte' };

/** The MikroORM filters of the conditions (one per condition, to AND). An unmapped field is a programming error. */
export function whereOf<F extends string>(
  conditions: readonly Condition<F>[],
  fields: Readonly<Record<F, FieldMapping>>,
): Record<string, unknown>[] {
  return conditions.map(({ field, op, values }) => {
    if (!Object.hasOwn(fields, field)) throw new Error(`no condition field ${JSON.stringify(field)} in this store`);
    const target = fields[field];
    const condition = { [OPERATORS[op]]: op === 'in' ? [...values] : values[0] };
    if (typeof target === 'string') return { [target]: condition };
    // A raw key is consumed when MikroORM uses it: made per query.
    return { [raw((alias: string) => target.sql(alias))]: condition };
  });
}
