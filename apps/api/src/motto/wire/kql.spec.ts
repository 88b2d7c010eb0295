import { DomainError, DomainErrorCode } from '@app/domain';
import { compileFilter, FilterSpec } from './kql';
import { KQL_LIMITS, parseKql } from './kql-parser';

/** The descriptions of the `filter` violations thrown by `fn`. */
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const error = e as DomainError;
    expect(error.code).toBe(DomainErrorCode.InvalidArgument);
    expect(error.violations.every((v) => v.field === 'filter')).toBe(true);
    return error.violations.map((v) => v.description);
  }
  throw new Error('expected a DomainError');
}

describe('parseKql', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['name:abc', [{ field: 'name', op: 'eq', values: ['abc'] }]],
    ['name:"with spaces"', [{ field: 'name', op: 'eq', values: ['with spaces'] }]],
    ['name:"say \\"hi\\" \\\\ bye"', [{ field: 'name', op: 'eq', values: ['say "hi" \\ bye'] }]],
    ['name:""', [{ field: 'name', op: 'eq', values: [''] }]],
    ['name:"a (b) AND c:d"', [{ field: 'name', op: 'eq', values: ['a (b) AND c:d'] }]],
    ['create_time<2023-11-07T05:31:56Z', [{ field: 'create_time', op: 'lt', values: ['2023-11-07T05:31:56Z'] }]],
    ['create_time<=2023-11-07T05:31:56Z', [{ field: 'create_time', op: 'lte', values: ['2023-11-07T05:31:56Z'] }]],
    ['create_time>2023-11-07T05:31:56Z', [{ field: 'create_time', op: 'gt', values: ['2023-11-07T05:31:56Z'] }]],
    ['create_time>=2023-11-07T05:31:56Z', [{ field: 'create_time', op: 'gte', values: ['2023-11-07T05:31:56Z'] }]],
    ['create_time>="2023-11-07T05:31:56Z"', [{ field: 'create_time', op: 'gte', values: ['2023-11-07T05:31:56Z'] }]],
    ['visibility:(a OR b OR "c d")', [{ field: 'visibility', op: 'in', values: ['a', 'b', 'c d'] }]],
    ['visibility:( a  OR  b )', [{ field: 'visibility', op: 'in', values: ['a', 'b'] }]],
    ['visibility:(a)', [{ field: 'visibility', op: 'in', values: ['a'] }]],
    ['visibility:(aORb)', [{ field: 'visibility', op: 'in', values: ['aORb'] }]],
    [
      'a:1 b:2',
      [
        { field: 'a', op: 'eq', values: ['1'] },
        { field: 'b', op: 'eq', values: ['2'] },
      ],
    ],
    [
      'a:1 AND b:2',
      [
        { field: 'a', op: 'eq', values: ['1'] },
        { field: 'b', op: 'eq', values: ['2'] },
      ],
    ],
    [
      '  a:1\tAND\n b:2  ',
      [
        { field: 'a', op: 'eq', values: ['1'] },
        { field: 'b', op: 'eq', values: ['2'] },
      ],
    ],
    [
      'a:1 ANDROID:2',
      [
        { field: 'a', op: 'eq', values: ['1'] },
        { field: 'ANDROID', op: 'eq', values: ['2'] },
      ],
    ],
    ['target.entity_ids:x', [{ field: 'target.entity_ids', op: 'eq', values: ['x'] }]],
    ['name:a<b', [{ field: 'name', op: 'eq', values: ['a<b'] }]],
    ['name:">x"', [{ field: 'name', op: 'eq', values: ['>x'] }]],
    ['name:*', [{ field: 'name', op: 'eq', values: ['*'] }]],
    [
      't>=1 t<2',
      [
        { field: 't', op: 'gte', values: ['1'] },
        { field: 't', op: 'lt', values: ['2'] },
      ],
    ],
  ])('parses %j', (filter, clauses) => expect(parseKql(filter)).toEqual(clauses));

  it.each([
    ['name:"abc', 'unterminated quote at position 6'],
    ['a:1 name:"abc\\"', 'unterminated quote at position 10'],
    ['name:"abc\\', 'unterminated quote at position 6'],
    ['name:"a\\nb"', 'invalid escape `\\n` at position 8: only \\" and \\\\ are escapes'],
    ['name:', 'missing value after `name:` at position 6'],
    ['name: abc', 'missing value after `name:` at position 6'],
    ['create_time>=', 'missing value after `create_time>=` at position 14'],
    ['name:)', 'missing value after `name:` at position 6'],
    ['name', 'expected an operator (:, <, <=, >, >=) after `name` at position 5'],
    ['name = x', 'expected an operator (:, <, <=, >, >=) after `name` at position 5'],
    ['name=x', 'expected an operator (:, <, <=, >, >=) after `name` at position 5'],
    [':abc', 'expected a field name at position 1 (got `:`)'],
    ['a:1 "b"', 'expected a field name at position 5 (got `"`)'],
    ['1a:b', 'expected a field name at position 1 (got `1`)'],
    [
      'create_time:>=2023',
      'unexpected `>` after `create_time:` at position 13: write ranges without a colon (`create_time>value`); quote a value that starts with `>`',
    ],
    [
      'create_time:<2023',
      'unexpected `<` after `create_time:` at position 13: write ranges without a colon (`create_time<value`); quote a value that starts with `<`',
    ],
    ['name:ab"c"', 'unexpected `"` at position 8; quote values that contain spaces, parentheses or quotes'],
    ['name:a(b)', 'unexpected `(` at position 7; quote values that contain spaces, parentheses or quotes'],
    ['name:a)', 'unexpected `)` at position 7; quote values that contain spaces, parentheses or quotes'],
    ['name:"a"b', 'unexpected `b` at position 9'],
    ['name>(a OR b)', 'unexpected `(` at position 6; quote values that contain spaces, parentheses or quotes'],
    ['AND a:1', 'unexpected `AND` at position 1: AND joins two clauses'],
    ['a:1 AND AND b:2', 'unexpected `AND` at position 9: AND joins two clauses'],
    ['a:1 AND', 'missing clause after `AND` at position 5'],
    ['a:1 AND  ', 'missing clause after `AND` at position 5'],
    ['a:1 OR b:2', 'unexpected `OR` at position 5: OR is only allowed inside a set, as `field:(a OR b)`'],
    ['NOT a:1', '`NOT` at position 1 is not supported'],
    ['a:1 and b:2', 'unexpected `and` at position 5: the keywords AND and OR are upper case'],
    ['a:1 or b:2', 'unexpected `or` at position 5: the keywords AND and OR are upper case'],
    ['v:()', 'empty set after `v:` at position 3'],
    ['v:(  )', 'empty set after `v:` at position 3'],
    ['v:(a', 'unterminated set: the `(` at position 3 has no `)`'],
    ['v:(a OR', 'unterminated set: the `(` at position 3 has no `)`'],
    ['v:(a OR b', 'unterminated set: the `(` at position 3 has no `)`'],
    ['v:(a OR)', 'missing value after `OR` at position 8'],
    ['v:(a b)', 'expected `OR` or `)` at position 6 in the set of `v` (values are joined with upper-case OR)'],
    ['v:(a AND b)', 'expected `OR` or `)` at position 6 in the set of `v` (values are joined with upper-case OR)'],
    ['v:(a or b)', 'expected `OR` or `)` at position 6 in the set of `v` (values are joined with upper-case OR)'],
    ['v:(a"b")', 'expected `OR` or `)` at position 5 in the set of `v` (values are joined with upper-case OR)'],
    ['v:((a))', 'unexpected `(` at position 4; quote values that contain spaces, parentheses or quotes'],
    ['v:(a)b', 'unexpected `b` at position 6'],
    ['a:\u0000', 'must not contain NUL characters'],
  ])('refuses %j: %s', (filter, message) => expect(problems(() => parseKql(filter))).toEqual([message]));

  it('limits the length, the clauses and the values', () => {
    expect(KQL_LIMITS).toEqual({ maxLength: 2000, maxClauses: 50, maxValues: 100 });
    expect(parseKql(`name:${'x'.repeat(1995)}`)).toHaveLength(1);
    expect(problems(() => parseKql(`name:${'x'.repeat(1996)}`))).toEqual([
      'must be at most 2000 characters (got 2001)',
    ]);

    const clauses = (n: number) => Array.from({ length: n }, (_, i) => `f${i}:v`).join(' ');
    expect(parseKql(clauses(50))).toHaveLength(50);
    expect(problems(() => parseKql(clauses(51)))).toEqual(['has too many clauses (at most 50)']);

    const set = (n: number) => `v:(${Array.from({ length: n }, (_, i) => `x${i}`).join(' OR ')})`;
    expect(parseKql(set(100))[0].values).toHaveLength(100);
    expect(problems(() => parseKql(`${set(99)} a:1 b:2`))).toEqual(['has too many values (at most 100)']);
  });
});

describe('compileFilter', () => {
  const spec: FilterSpec = {
    name: { type: 'string' },
    applies_to_all: { type: 'boolean' },
    create_time: { type: 'timestamp' },
    visibility: { type: ['VISIBILITY_PUBLISHED', 'VISIBILITY_HIDDEN'] },
    user_id: { type: 'string', ops: ['eq'] },
  };

  it('returns typed clauses', () => {
    const filter =
      'name:"Season pass" AND applies_to_all:true visibility:(VISIBILITY_PUBLISHED OR VISIBILITY_HIDDEN) ' +
      'create_time>=2023-01-01T00:00:00Z create_time<2024-01-01T01:00:00+01:00';
    expect(compileFilter(filter, spec)).toEqual([
      { field: 'name', op: 'eq', type: 'string', values: ['Season pass'] },
      { field: 'applies_to_all', op: 'eq', type: 'boolean', values: [true] },
      { field: 'visibility', op: 'in', type: 'enum', values: ['VISIBILITY_PUBLISHED', 'VISIBILITY_HIDDEN'] },
      { field: 'create_time', op: 'gte', type: 'timestamp', values: [new Date('2023-01-01T00:00:00Z')] },
      { field: 'create_time', op: 'lt', type: 'timestamp', values: [new Date('2024-01-01T00:00:00Z')] },
    ]);
  });

  it.each([undefined, '', '  '])('reads %p as no clauses', (filter) => expect(compileFilter(filter, spec)).toEqual([]));

  it('reads false and sets of booleans', () => {
    expect(compileFilter('applies_to_all:(true OR false)', spec)).toEqual([
      { field: 'applies_to_all', op: 'in', type: 'boolean', values: [true, false] },
    ]);
  });

  it.each([
    ['foo:1', 'unknown field `foo`; accepted fields: name, applies_to_all, create_time, visibility, user_id'],
    ['toString:1', 'unknown field `toString`; accepted fields: name, applies_to_all, create_time, visibility, user_id'],
    ['name>=a', 'range operator `>=` is not allowed on `name` (it accepts `name:value`, `name:(a OR b)`)'],
    [
      'visibility<x',
      'range operator `<` is not allowed on `visibility` (it accepts `visibility:value`, `visibility:(a OR b)`)',
    ],
    [
      'applies_to_all>true',
      'range operator `>` is not allowed on `applies_to_all` (it accepts `applies_to_all:value`, `applies_to_all:(a OR b)`)',
    ],
    ['user_id:(a OR b)', 'a set of values is not allowed on `user_id` (it accepts `user_id:value`)'],
    [
      'visibility:VISIBILITY_UNLISTED',
      '`visibility` value must be one of VISIBILITY_PUBLISHED, VISIBILITY_HIDDEN (got `VISIBILITY_UNLISTED`)',
    ],
    [
      'visibility:(VISIBILITY_HIDDEN OR published)',
      '`visibility` value must be one of VISIBILITY_PUBLISHED, VISIBILITY_HIDDEN (got `published`)',
    ],
    ['applies_to_all:yes', '`applies_to_all` value must be true or false (got `yes`)'],
    ['applies_to_all:TRUE', '`applies_to_all` value must be true or false (got `TRUE`)'],
    [
      'create_time>=yesterday',
      '`create_time` value must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got `yesterday`)',
    ],
    [
      'create_time>=2023-02-30T00:00:00Z',
      '`create_time` value must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got `2023-02-30T00:00:00Z`)',
    ],
    ['name:a name:b', '`name` appears more than once (for any of several values write `name:(a OR b)`)'],
    ['user_id:a user_id:b', '`user_id` appears more than once'],
    [
      'create_time>=2023-01-01T00:00:00Z create_time>2023-01-02T00:00:00Z',
      '`create_time` appears more than once; a field may appear twice only for a closed range (`create_time>=a create_time<b`)',
    ],
    [
      'create_time:2023-01-01T00:00:00Z create_time<2023-01-02T00:00:00Z',
      '`create_time` appears more than once; a field may appear twice only for a closed range (`create_time>=a create_time<b`)',
    ],
  ])('refuses %j: %s', (filter, message) => expect(problems(() => compileFilter(filter, spec))).toEqual([message]));

  it('reports every problem of a filter at once', () => {
    expect(problems(() => compileFilter('foo:1 applies_to_all:maybe name>x', spec))).toEqual([
      'unknown field `foo`; accepted fields: name, applies_to_all, create_time, visibility, user_id',
      '`applies_to_all` value must be true or false (got `maybe`)',
      'range operator `>` is not allowed on `name` (it accepts `name:value`, `name:(a OR b)`)',
    ]);
  });

  it('lets a spec allow ranges on other types, or refuse them on timestamps', () => {
    expect(compileFilter('priority>=5', { priority: { type: 'string', ops: ['gte'] } })).toEqual([
      { field: 'priority', op: 'gte', type: 'string', values: ['5'] },
    ]);
    expect(problems(() => compileFilter('t>2023-01-01T00:00:00Z', { t: { type: 'timestamp', ops: ['lt'] } }))).toEqual([
      'range operator `>` is not allowed on `t` (it accepts `t<value`)',
    ]);
  });

  it('passes syntax errors through', () => {
    expect(problems(() => compileFilter('name:"x', spec))).toEqual(['unterminated quote at position 6']);
  });

  it('cuts long values short in messages', () => {
    const [message] = problems(() => compileFilter(`applies_to_all:${'y'.repeat(80)}`, spec));
    expect(message).toBe(`\`applies_to_all\` value must be true or false (got \`${'y'.repeat(47)}...\`)`);
  });
});
