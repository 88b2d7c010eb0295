import { DomainError } from '@app/domain';
import {
  charLength,
  fieldPath,
  indexPath,
  isWireObject,
  mapKeyPath,
  quoted,
  stringProblem,
  textProblem,
  unknownFieldViolations,
  validated,
  valueOrThrow,
  wireTypeName,
} from './wire';

describe('wire helpers', () => {
  it.each([
    [null, 'null'],
    [[1], 'an array'],
    [{}, 'an object'],
    ['x', 'a string'],
    [1, 'a number'],
    [false, 'a boolean'],
    [undefined, 'undefined'],
  ])('names the JSON type of %p as %s', (value, name) => expect(wireTypeName(value)).toBe(name));

  it('recognizes JSON objects', () => {
    expect(isWireObject({})).toBe(true);
    expect(isWireObject([])).toBe(false);
    expect(isWireObject(null)).toBe(false);
    expect(isWireObject('x')).toBe(false);
  });

  it('builds paths as the caller wrote them', () => {
    expect(fieldPath('', 'name')).toBe('name');
    expect(fieldPath('offer', 'name')).toBe('offer.name');
    expect(indexPath('offer_prices', 2)).toBe('offer_prices[2]');
    expect(mapKeyPath('localized_title', 'EN')).toBe('localized_title.EN');
    expect(mapKeyPath('localized_title', 'en-US')).toBe('localized_title.en-US');
    expect(mapKeyPath('localized_title', 'en US')).toBe('localized_title["en US"]');
    expect(mapKeyPath('localized_title', '')).toBe('localized_title[""]');
  });

  it('quotes values for messages, cut short', () => {
    expect(quoted('eur')).toBe('"eur"');
    expect(quoted(2)).toBe('2');
    expect(quoted(undefined)).toBe('undefined');
    expect(quoted('x'.repeat(100))).toBe(`"${'x'.repeat(46)}...`);
  });

  it('names unknown fields, with a hint for camelCase', () => {
    expect(unknownFieldViolations({ name: 1, projectId: 'a', foo: 2 }, ['name', 'project_id'], 'offer')).toEqual([
      { field: 'offer.projectId', description: 'unknown field (did you mean "project_id"?)' },
      { field: 'offer.foo', description: 'unknown field' },
    ]);
  });

  it('counts characters as code points', () => {
    expect(charLength('abc')).toBe(3);
    expect(charLength('😀😀')).toBe(2);
    expect(charLength('é')).toBe(1);
  });

  it.each([
    ['a\u0000b', 'must not contain NUL characters'],
    ['a\uD83D', 'must be valid Unicode text (no unpaired surrogates)'],
    ['\uDE00', 'must be valid Unicode text (no unpaired surrogates)'],
  ])('refuses text PostgreSQL cannot store faithfully: %j', (s, problem) => expect(textProblem(s)).toBe(problem));

  it('checks string lengths', () => {
    expect(textProblem('😀 ok')).toBeUndefined();
    expect(stringProblem('', 1, 3)).toBe('must be 1 to 3 characters');
    expect(stringProblem('abcd', 1, 3)).toBe('must be 1 to 3 characters');
    expect(stringProblem('😀😀😀', 1, 3)).toBeUndefined();
    expect(stringProblem('abcd', 0, 3)).toBe('must be at most 3 characters');
    expect(stringProblem('', 0, 3)).toBeUndefined();
  });

  it('returns a value only without violations, and throws them as invalid_argument', () => {
    expect(validated(1, [])).toEqual({ value: 1, violations: [] });
    const failed = validated(1, [{ field: 'name', description: 'is required' }]);
    expect(failed).toEqual({ violations: [{ field: 'name', description: 'is required' }] });
    expect(valueOrThrow({ value: 1, violations: [] })).toBe(1);
    expect(() => valueOrThrow(failed)).toThrow(
      DomainError.invalidArgument([{ field: 'name', description: 'is required' }]),
    );
    try {
      valueOrThrow(failed);
    } catch (e) {
      expect((e as DomainError).violations).toEqual([{ field: 'name', description: 'is required' }]);
    }
  });
});
