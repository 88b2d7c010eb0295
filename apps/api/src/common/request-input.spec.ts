import { DomainError } from '@app/domain';
import {
  jsonInputViolations,
  jsonNestsDeeperThan,
  MAX_JSON_DEPTH,
  parameterViolations,
  parseJsonBody,
  textProblem,
} from './request-input';

describe('request input', () => {
  it('measures nesting without parsing, ignoring brackets inside strings', () => {
    expect(jsonNestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(jsonNestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a": "[[[[[[", "b": {"c": [1]}}', 3)).toBe(false);
    expect(jsonNestsDeeperThan('{"a": "\\"[[[[", "b": 1}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('[{}, {}, [], {"a": {}}]', 2)).toBe(true);
    expect(jsonNestsDeeperThan('['.repeat(100_000), MAX_JSON_DEPTH)).toBe(true);
  });

  it('refuses NUL and unpaired surrogates, keeps paired ones', () => {
    expect(textProblem('a\u0000b')).toBe('must not contain NUL characters');
    expect(textProblem('\ud800')).toBe('must be valid Unicode text (no unpaired surrogates)');
    expect(textProblem('x\udc00')).toBe('must be valid Unicode text (no unpaired surrogates)');
    expect(textProblem('🎬 ok')).toBeUndefined();
  });

  it('names every bad string, key and refused key by path', () => {
    const value = JSON.parse(
      '{"a": "x\\u0000", "b": [{"c": "\\ud800"}], "__proto__": 1, "d": {"constructor": 2}, "e\\u0000": 1, "ok": "fine"}',
    );
    expect(jsonInputViolations(value)).toEqual([
      { field: 'a', description: 'must not contain NUL characters' },
      { field: 'b[0].c', description: 'must be valid Unicode text (no unpaired surrogates)' },
      {
        field: '__proto__',
        description: 'the key __proto__ is refused (__proto__, constructor, prototype are never accepted)',
      },
      {
        field: 'd.constructor',
        description: 'the key constructor is refused (__proto__, constructor, prototype are never accepted)',
      },
      { field: '"e\\u0000"', description: 'key must not contain NUL characters' },
    ]);
    expect(jsonInputViolations('\ud800')).toEqual([
      { field: 'body', description: 'must be valid Unicode text (no unpaired surrogates)' },
    ]);
    expect(jsonInputViolations(Array.from({ length: 100 }, () => '\u0000'))).toHaveLength(20);
  });

  it('parses JSON bodies, refusing the empty, the malformed and the too deep', () => {
    expect(parseJsonBody('{"a": [1, {"b": null}]}')).toEqual({ a: [1, { b: null }] });
    expect(() => parseJsonBody('')).toThrow(/cannot be empty/);
    expect(() => parseJsonBody('{"a":')).toThrow(/^Body is not valid JSON/);
    const deep = () => parseJsonBody(`${'['.repeat(33)}${']'.repeat(33)}`);
    expect(deep).toThrow(DomainError);
    expect(deep).toThrow('body: must not nest arrays and objects deeper than 32 levels');
    expect(parseJsonBody(`${'['.repeat(32)}${']'.repeat(32)}`)).toBeDefined();
  });

  it('names bad path and query parameters, repeated ones included', () => {
    const rules = { names: { id: '_id' }, refuseRepeated: true };
    expect(parameterViolations({ id: 'a\u0000' }, { q: ['1', '2'], ok: 'x', f: '\ud800' }, rules)).toEqual([
      { field: '_id', description: 'must not contain NUL characters' },
      { field: 'q', description: 'must be given once (got 2 values)' },
      { field: 'f', description: 'must be valid Unicode text (no unpaired surrogates)' },
    ]);
    expect(parameterViolations({}, { q: ['1', '\u0000'] }, { names: {}, refuseRepeated: false })).toEqual([
      { field: 'q', description: 'must not contain NUL characters' },
    ]);
    expect(parameterViolations({}, { 'a\u0000': '1' })).toEqual([
      { field: '"a\\u0000"', description: 'parameter name must not contain NUL characters' },
    ]);
  });
});
