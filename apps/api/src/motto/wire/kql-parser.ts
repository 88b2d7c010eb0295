import { DomainError } from '@app/domain';

/**
 * The KQL subset of list `filter` parameters.
 *
 *   filter  := clause ( (spaces | spaces "AND" spaces) clause )*      (empty or blank: no clauses)
 *   clause  := field ":" value                                          eq
 *            | field ":" "(" value ( spaces "OR" spaces value )* ")"    in
 *            | field ("<" | "<=" | ">" | ">=") value                    lt, lte, gt, gte
 *   field   := [A-Za-z_][A-Za-z0-9_.]*
 *   value   := bare | '"' ( any character but " and \ | '\"' | '\\' )* '"'
 *   bare    := one or more characters other than white space, ( ) and "
 *
 * Decisions:
 * - `AND` and `OR` are upper case; a lower-case `and` is refused with a hint, not read as a field.
 * - No white space inside a clause (`name: x` is "missing value after `name:`").
 * - Ranges are written without a colon: `create_time>=2023-01-01T00:00:00Z`. The Lucene-style colon form
 *   (`create_time:>=...`) is refused with a message saying so rather than read either as a range or as an
 *   equality with a value starting with `>`; such a value must be quoted (`name:">x"`).
 * - No NOT, no wildcards (`*` is an ordinary character), no nesting.
 * - A field may appear at most once, or twice for a closed range (one lower and one upper bound).
 *
 * Errors are DomainError invalid_argument with field `filter`; positions count characters from 1.
 * Messages quote fragments of the filter in backticks, since double quotes are part of the syntax.
 */
export type KqlOp = 'eq' | 'in' | 'lt' | 'lte' | 'gt' | 'gte';

export interface KqlClause {
  field: string;
  op: KqlOp;
  values: string[];
}

export const KQL_LIMITS = { maxLength: 2000, maxClauses: 50, maxValues: 100 } as const;

const RANGE_OPS: Record<string, KqlOp> = { '<=': 'lte', '>=': 'gte', '<': 'lt', '>': 'gt' };
export const OP_SYMBOLS: Record<KqlOp, string> = { eq: ':', in: ':', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const FIELD_START = /[A-Za-z_]/;
const FIELD_PART = /[A-Za-z0-9_.]/;
const SPACE = /\s/;
const BARE_END = /[\s()"]/;
const KEYWORD_END = /[\s()"]/;

function filterError(description: string): DomainError {
  return DomainError.invalidArgument([{ field: 'filter', description }]);
}

export function code(text: string): string {
  return `\`${text.length > 50 ? `${text.slice(0, 47)}...` : text}\``;
}

/** The clauses of a filter, in order; throws DomainError invalid_argument (field `filter`) on bad syntax. */
export function parseKql(filter: string): KqlClause[] {
  return new KqlParser(filter).parse();
}

class KqlParser {
  private pos = 0;
  private readonly clauses: KqlClause[] = [];
  private valueCount = 0;

  constructor(private readonly src: string) {}

  parse(): KqlClause[] {
    if (this.src.length > KQL_LIMITS.maxLength) {
      throw filterError(`must be at most ${KQL_LIMITS.maxLength} characters (got ${this.src.length})`);
    }
    if (this.src.includes('\u0000')) throw filterError('must not contain NUL characters');
    this.skipSpaces();
    while (!this.atEnd()) {
      this.addClause(this.clause());
      this.separator();
    }
    return this.clauses;
  }

  private clause(): KqlClause {
    const field = this.fieldName();
    const op = this.operator(field);
    if (op === 'eq' && this.peek() === '(') return { field, op: 'in', values: this.set(field) };
    return { field, op, values: [this.value(`${field}${OP_SYMBOLS[op]}`)] };
  }

  /** After a clause: the end, or spaces with an optional AND before the next clause. */
  private separator(): void {
    if (this.atEnd()) return;
    if (!SPACE.test(this.peek())) throw this.unexpected();
    this.skipSpaces();
    if (!this.keywordAt('AND')) return;
    const at = this.pos;
    this.pos += 3;
    this.skipSpaces();
    if (this.atEnd()) throw filterError(`missing clause after \`AND\` at position ${at + 1}`);
  }

  private fieldName(): string {
    const start = this.pos;
    if (this.atEnd() || !FIELD_START.test(this.peek())) {
      throw filterError(`expected a field name at position ${start + 1} (got ${code(this.peek())})`);
    }
    while (!this.atEnd() && FIELD_PART.test(this.peek())) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private operator(field: string): KqlOp {
    for (const [symbol, op] of Object.entries(RANGE_OPS)) {
      if (this.src.startsWith(symbol, this.pos)) {
        this.pos += symbol.length;
        return op;
      }
    }
    if (this.peek() !== ':') throw this.missingOperator(field);
    this.pos++;
    const next = this.peek();
    if (next === '<' || next === '>') {
      throw filterError(
        `unexpected ${code(next)} after ${code(`${field}:`)} at position ${this.pos + 1}: ` +
          `write ranges without a colon (${code(`${field}${next}value`)}); quote a value that starts with ${code(next)}`,
      );
    }
    return 'eq';
  }

  private missingOperator(field: string): DomainError {
    const at = this.pos - field.length + 1;
    const standalone = this.atEnd() || KEYWORD_END.test(this.peek());
    if (standalone && field === 'AND')
      return filterError(`unexpected \`AND\` at position ${at}: AND joins two clauses`);
    if (standalone && field === 'OR') {
      return filterError(`unexpected \`OR\` at position ${at}: OR is only allowed inside a set, as \`field:(a OR b)\``);
    }
    if (standalone && field === 'NOT') return filterError(`\`NOT\` at position ${at} is not supported`);
    if (standalone && ['and', 'or', 'not'].includes(field.toLowerCase())) {
      return filterError(`unexpected ${code(field)} at position ${at}: the keywords AND and OR are upper case`);
    }
    return filterError(`expected an operator (:, <, <=, >, >=) after ${code(field)} at position ${this.pos + 1}`);
  }

  /** A value, bare or quoted; `after` names what precedes it, for the message when it is missing. */
  private value(after: string): string {
    if (this.peek() === '"') return this.quoted();
    const start = this.pos;
    while (!this.atEnd() && !BARE_END.test(this.peek())) this.pos++;
    if (this.pos > start) return this.src.slice(start, this.pos);
    if (this.peek() === '(') throw this.unexpected();
    throw filterError(`missing value after ${code(after)} at position ${this.pos + 1}`);
  }

  private quoted(): string {
    const open = this.pos;
    this.pos++;
    let out = '';
    while (!this.atEnd()) {
      const c = this.src[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === undefined) break;
        if (next !== '"' && next !== '\\') {
          throw filterError(
            `invalid escape ${code(`\\${next}`)} at position ${this.pos + 1}: only \\" and \\\\ are escapes`,
          );
        }
        out += next;
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
    throw filterError(`unterminated quote at position ${open + 1}`);
  }

  /** `(a OR b OR "c d")`, the position on the `(`. */
  private set(field: string): string[] {
    const open = this.pos;
    this.pos++;
    this.skipSpaces();
    if (this.peek() === ')') throw filterError(`empty set after ${code(`${field}:`)} at position ${open + 1}`);
    const values: string[] = [];
    let after = `${field}:(`;
    for (;;) {
      if (this.atEnd()) break;
      values.push(this.value(after));
      const spaced = this.skipSpaces() > 0;
      if (this.atEnd()) break;
      if (this.peek() === ')') {
        this.pos++;
        return values;
      }
      if (!spaced || !this.keywordAt('OR')) {
        throw filterError(
          `expected \`OR\` or \`)\` at position ${this.pos + 1} in the set of ${code(field)} (values are joined with upper-case OR)`,
        );
      }
      this.pos += 2;
      this.skipSpaces();
      after = 'OR';
    }
    throw filterError(`unterminated set: the \`(\` at position ${open + 1} has no \`)\``);
  }

  private addClause(clause: KqlClause): void {
    this.clauses.push(clause);
    this.valueCount += clause.values.length;
    if (this.clauses.length > KQL_LIMITS.maxClauses) {
      throw filterError(`has too many clauses (at most ${KQL_LIMITS.maxClauses})`);
    }
    if (this.valueCount > KQL_LIMITS.maxValues)
      throw filterError(`has too many values (at most ${KQL_LIMITS.maxValues})`);
  }

  private unexpected(): DomainError {
    const c = this.peek();
    const hint = c !== '' && '()"'.includes(c) ? '; quote values that contain spaces, parentheses or quotes' : '';
    return filterError(`unexpected ${code(c)} at position ${this.pos + 1}${hint}`);
  }

  /** True when `word` starts here and is followed by the end, a space, a parenthesis or a quote. */
  private keywordAt(word: string): boolean {
    if (!this.src.startsWith(word, this.pos)) return false;
    const next = this.src[this.pos + word.length];
    return next === undefined || KEYWORD_END.test(next);
  }

  private skipSpaces(): number {
    const start = this.pos;
    while (!this.atEnd() && SPACE.test(this.peek())) this.pos++;
    return this.pos - start;
  }

  private peek(): string {
    return this.src[this.pos] ?? '';
  }

  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }
}
