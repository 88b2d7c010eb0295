import { FilterClause } from '../motto/wire/kql';
import { raw } from '@mikro-orm/postgresql';

/** Where a filter field lives: an entity property, or a SQL expression of the row (given its alias). */
export type FilterTarget = string | { sql: (alias: string) => string };

const OPERATORS = { eq: '$eq', in: '$in', lt: '$lt', lte: '$lte', gt: '$gt', gte: '$gte' } as const;

/**
 * Turns compiled KQL clauses into a MikroORM filter: every value is a bound parameter, never SQL text.
 * Clauses are ANDed; `in` takes the clause's values, the other operators its one value.
 */
export function kqlWhere(clauses: FilterClause[], targets: Readonly<Record<string, FilterTarget>>): Record<string, unknown>[] {
  return clauses.map((clause) => {
    const target = targets[clause.field];
    const value = clause.op === 'in' ? clause.values : clause.values[0];
    const condition = { [OPERATORS[clause.op]]: value };
    if (typeof target === 'string') return { [target]: condition };
    return { [raw((alias: string) => target.sql(alias))]: condition };
  });
}
