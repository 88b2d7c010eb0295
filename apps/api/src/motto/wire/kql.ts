import { DomainError } from '@app/domain';
import { parseRfc3339 } from '../../common/rfc3339';
import { code, KqlClause, KqlOp, OP_SYMBOLS, parseKql } from './kql-parser';

export type { KqlOp } from './kql-parser';

/**
 * A list's `filter` (KQL subset, syntax in kql-parser.ts) checked against the fields the list accepts.
 */
/** `'string'`, `'boolean'`, `'timestamp'`, or the list of accepted enum names. */
export type FilterFieldType = 'string' | 'boolean' | 'timestamp' | readonly string[];

export interface FilterField {
  type: FilterFieldType;
  /** Default: ranges and sets on timestamps; equality and sets on everything else. */
  ops?: readonly KqlOp[];
}

/** The fields a list accepts in its filter, by wire name. */
export type FilterSpec = Readonly<Record<string, FilterField>>;

export type FilterClause =
  | { field: string; op: KqlOp; type: 'string' | 'enum'; values: string[] }
  | { field: string; op: KqlOp; type: 'boolean'; values: boolean[] }
  | { field: string; op: KqlOp; type: 'timestamp'; values: Date[] };

const TIMESTAMP_OPS: readonly KqlOp[] = ['eq', 'in', 'lt', 'lte', 'gt', 'gte'];
const EQUALITY_OPS: readonly KqlOp[] = ['eq', 'in'];

/**
 * Parses the filter and checks it against `spec`: known fields, allowed operators, values of the right
 * type (timestamps become Dates, booleans booleans). Every problem is reported, each as a violation of
 * `filter`. An absent or blank filter has no clauses.
 */
export function compileFilter(filter: string | undefined, spec: FilterSpec): FilterClause[] {
  const clauses = parseKql(filter ?? '');
  const problems: string[] = [];
  const compiled: FilterClause[] = [];
  for (const clause of clauses) {
    const result = compileClause(clause, spec, problems);
    if (result) compiled.push(result);
  }
  problems.push(
    ...repetitionProblems(
      clauses.filter((c) => Object.hasOwn(spec, c.field)),
      spec,
    ),
  );
  if (problems.length > 0) {
    throw DomainError.invalidArgument(problems.map((description) => ({ field: 'filter', description })));
  }
  return compiled;
}

function compileClause(clause: KqlClause, spec: FilterSpec, problems: string[]): FilterClause | undefined {
  const { field, op } = clause;
  if (!Object.hasOwn(spec, field)) {
    problems.push(`unknown field ${code(field)}; accepted fields: ${Object.keys(spec).join(', ')}`);
    return undefined;
  }
  const fieldSpec = spec[field];
  const ops = allowedOps(fieldSpec);
  if (!ops.includes(op)) {
    problems.push(`${operatorName(op)} is not allowed on ${code(field)} (it accepts ${opForms(field, ops)})`);
    return undefined;
  }
  const before = problems.length;
  const typed = typedClause(clause, fieldSpec.type, problems);
  return problems.length === before ? typed : undefined;
}

function allowedOps(fieldSpec: FilterField): readonly KqlOp[] {
  return fieldSpec.ops ?? (fieldSpec.type === 'timestamp' ? TIMESTAMP_OPS : EQUALITY_OPS);
}

function typedClause(clause: KqlClause, type: FilterFieldType, problems: string[]): FilterClause {
  const { field, op, values } = clause;
  if (type === 'string') return { field, op, type: 'string', values };
  if (type === 'boolean')
    return { field, op, type: 'boolean', values: values.map((v) => toBoolean(field, v, problems)) };
  if (type === 'timestamp')
    return { field, op, type: 'timestamp', values: values.map((v) => toDate(field, v, problems)) };
  for (const v of values) {
    if (!type.includes(v)) problems.push(`${code(field)} value must be one of ${type.join(', ')} (got ${code(v)})`);
  }
  return { field, op, type: 'enum', values };
}

function toBoolean(field: string, value: string, problems: string[]): boolean {
  if (value !== 'true' && value !== 'false')
    problems.push(`${code(field)} value must be true or false (got ${code(value)})`);
  return value === 'true';
}

function toDate(field: string, value: string, problems: string[]): Date {
  const date = parseRfc3339(value);
  if (!date) {
    problems.push(
      `${code(field)} value must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got ${code(value)})`,
    );
  }
  return date ?? new Date(NaN);
}

function operatorName(op: KqlOp): string {
  if (op === 'eq') return 'equality';
  if (op === 'in') return 'a set of values';
  return `range operator ${code(OP_SYMBOLS[op])}`;
}

function opForms(field: string, ops: readonly KqlOp[]): string {
  return ops
    .map((op) => (op === 'in' ? `${field}:(a OR b)` : `${field}${OP_SYMBOLS[op]}value`))
    .map(code)
    .join(', ');
}

/** A field at most once, or twice as one lower and one upper bound. */
function repetitionProblems(clauses: KqlClause[], spec: FilterSpec): string[] {
  const byField = new Map<string, KqlOp[]>();
  for (const { field, op } of clauses) byField.set(field, [...(byField.get(field) ?? []), op]);
  const problems: string[] = [];
  for (const [field, ops] of byField) {
    if (ops.length === 1) continue;
    if (ops.length === 2 && ops.some(isLowerBound) && ops.some(isUpperBound)) continue;
    problems.push(`${code(field)} appears more than once${repetitionHint(field, allowedOps(spec[field]))}`);
  }
  return problems;
}

function repetitionHint(field: string, ops: readonly KqlOp[]): string {
  if (ops.some(isLowerBound) && ops.some(isUpperBound)) {
    return `; a field may appear twice only for a closed range (${code(`${field}>=a ${field}<b`)})`;
  }
  return ops.includes('in') ? ` (for any of several values write ${code(`${field}:(a OR b)`)})` : '';
}

function isLowerBound(op: KqlOp): boolean {
  return op === 'gt' || op === 'gte';
}

function isUpperBound(op: KqlOp): boolean {
  return op === 'lt' || op === 'lte';
}
