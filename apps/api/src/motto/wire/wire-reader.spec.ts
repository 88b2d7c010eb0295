import { FieldViolation } from '@app/domain';
import { WireReader } from './wire-reader';

function reader(obj: Record<string, unknown>, path = 'x'): { r: WireReader; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  return { r: new WireReader(obj, path, violations), violations };
}

describe('WireReader', () => {
  it('reads absent and null as the protobuf default', () => {
    const { r, violations } = reader({ s: null, b: null, i: null, e: null });
    expect(r.string('s', { max: 5 })).toBe('');
    expect(r.string('missing', { max: 5 })).toBe('');
    expect(r.boolean('b')).toBe(false);
    expect(r.int64('i')).toBeUndefined();
    expect(r.enumName('e', ['A', 'B'], 'A')).toBe('A');
    expect(r.timestamp('t')).toBeUndefined();
    expect(r.object('o', [])).toBeUndefined();
    expect(r.array('a', 3)).toEqual([]);
    expect(r.stringList('l', { maxItems: 3 })).toEqual([]);
    expect(r.stringMap('m', { maxEntries: 3, maxValueLength: 3, isKey: () => true, keyDescription: '' })).toEqual({});
    expect(violations).toEqual([]);
  });

  it('never reads inherited properties', () => {
    const { r } = reader({});
    expect(r.raw('constructor')).toBeUndefined();
    expect(r.has('toString')).toBe(false);
  });

  it('records one violation per bad value, with its path', () => {
    const { r, violations } = reader({
      s: 1,
      req: null,
      b: 'true',
      i: '1.0',
      e: 1,
      t: '2023-02-30T00:00:00Z',
      t2: 5,
      o: [],
      a: {},
      big: [1, 2, 3, 4],
      l: ['ok', '', 3],
      m: { good: 'v', bad: 'v', empty: '', num: 1 },
    });
    r.string('s', { max: 5 });
    r.string('req', { max: 5, required: true });
    r.boolean('b');
    r.int64('i');
    r.enumName('e', ['A', 'B'], 'A');
    r.timestamp('t');
    r.timestamp('t2');
    r.object('o', []);
    r.array('a', 3);
    r.array('big', 3);
    r.stringList('l', { maxItems: 3, maxLength: 5 });
    const map = r.stringMap('m', {
      maxEntries: 5,
      maxValueLength: 5,
      isKey: (k) => k !== 'bad',
      keyDescription: 'is not a key',
    });
    expect(map).toEqual({ good: 'v' });
    expect(violations).toEqual([
      { field: 'x.s', description: 'must be a string (got a number)' },
      { field: 'x.req', description: 'is required' },
      { field: 'x.b', description: 'must be true or false (got a string)' },
      { field: 'x.i', description: 'must be an int64 decimal string (digits with an optional leading -)' },
      { field: 'x.e', description: 'must be one of A, B (got 1)' },
      {
        field: 'x.t',
        description: 'must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got "2023-02-30T00:00:00Z")',
      },
      { field: 'x.t2', description: 'must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got a number)' },
      { field: 'x.o', description: 'must be an object (got an array)' },
      { field: 'x.a', description: 'must be an array (got an object)' },
      { field: 'x.big', description: 'must have at most 3 items (got 4)' },
      { field: 'x.l[1]', description: 'must be 1 to 5 characters' },
      { field: 'x.l[2]', description: 'must be a string (got a number)' },
      { field: 'x.m.bad', description: 'key "bad" is not a key' },
      { field: 'x.m.empty', description: 'must be 1 to 5 characters' },
      { field: 'x.m.num', description: 'must be a string (got a number)' },
    ]);
  });

  it('flags unknown fields of nested objects and reads them with their path', () => {
    const violations: FieldViolation[] = [];
    const nested = WireReader.of({ a: { b: 'x', c: 1 } }, '', ['a'], violations)?.object('a', ['b']);
    expect(nested?.string('b', { max: 3 })).toBe('x');
    expect(nested?.pathOf('b')).toBe('a.b');
    expect(violations).toEqual([{ field: 'a.c', description: 'unknown field' }]);
  });

  it('refuses a map with too many entries without checking them', () => {
    const { r, violations } = reader({ m: { a: '1', b: '2', BAD: '' } });
    expect(r.stringMap('m', { maxEntries: 2, maxValueLength: 5, isKey: () => false, keyDescription: '' })).toEqual({});
    expect(violations).toEqual([{ field: 'x.m', description: 'must have at most 2 entries (got 3)' }]);
  });

  it('does not let a __proto__ key through', () => {
    const { r } = reader({ m: JSON.parse('{"__proto__": "x", "en": "y"}') });
    const map = r.stringMap('m', { maxEntries: 5, maxValueLength: 5, isKey: (k) => k === 'en', keyDescription: 'bad' });
    expect(map).toEqual({ en: 'y' });
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
  });
});
