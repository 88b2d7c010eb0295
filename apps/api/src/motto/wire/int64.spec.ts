import { compareInt64 } from '@app/domain';
import { INT64_MAX, INT64_MIN, int64Problem, isInt64String, parseInt64 } from './int64';

describe('parseInt64', () => {
  it.each([
    ['0', '0'],
    ['42', '42'],
    ['-42', '-42'],
    ['007', '7'],
    ['-0', '0'],
    ['9223372036854775807', '9223372036854775807'],
    ['-9223372036854775808', '-9223372036854775808'],
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-7, '-7'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [Number.MIN_SAFE_INTEGER, '-9007199254740991'],
  ])('accepts %p as %s', (input, canonical) => expect(parseInt64(input)).toEqual({ value: canonical }));

  it.each([
    ['9223372036854775808', 'must be an int64, from -9223372036854775808 to 9223372036854775807'],
    ['-9223372036854775809', 'must be an int64, from -9223372036854775808 to 9223372036854775807'],
    ['', 'must be an int64 decimal string (digits with an optional leading -)'],
    ['1.5', 'must be an int64 decimal string (digits with an optional leading -)'],
    ['1e3', 'must be an int64 decimal string (digits with an optional leading -)'],
    ['+1', 'must be an int64 decimal string (digits with an optional leading -)'],
    [' 1', 'must be an int64 decimal string (digits with an optional leading -)'],
    ['0x10', 'must be an int64 decimal string (digits with an optional leading -)'],
    ['abc', 'must be an int64 decimal string (digits with an optional leading -)'],
    [1.5, 'must be an int64 decimal string (got a non-integer number)'],
    [Number.NaN, 'must be an int64 decimal string (got a non-integer number)'],
    [Number.POSITIVE_INFINITY, 'must be an int64 decimal string (got a non-integer number)'],
    [
      2 ** 53,
      'must be an int64 decimal string (a JSON number beyond 2^53 - 1 has lost precision; send it as a string)',
    ],
    [true, 'must be an int64 decimal string (got a boolean)'],
    [null, 'must be an int64 decimal string (got null)'],
    [{}, 'must be an int64 decimal string (got an object)'],
    [['1'], 'must be an int64 decimal string (got an array)'],
  ])('rejects %p: %s', (input, problem) => expect(parseInt64(input)).toEqual({ problem }));

  it('applies bounds', () => {
    expect(parseInt64('0', { min: 1n })).toEqual({ problem: 'must be at least 1' });
    expect(parseInt64('1', { min: 1n })).toEqual({ value: '1' });
    expect(parseInt64('11', { max: 10n })).toEqual({ problem: 'must be at most 10' });
  });

  it('exposes the int64 range as BigInt', () => {
    expect(INT64_MIN).toBe(-9223372036854775808n);
    expect(INT64_MAX).toBe(9223372036854775807n);
  });
});

describe('int64 helpers', () => {
  it('int64Problem is the problem or undefined', () => {
    expect(int64Problem('12')).toBeUndefined();
    expect(int64Problem('x')).toBe('must be an int64 decimal string (digits with an optional leading -)');
  });

  it('isInt64String accepts only strings in range', () => {
    expect(isInt64String('9223372036854775807')).toBe(true);
    expect(isInt64String('9223372036854775808')).toBe(false);
    expect(isInt64String(1)).toBe(false);
  });

  it.each([
    ['1', '2', -1],
    ['2', '1', 1],
    ['10', '9', 1],
    ['-10', '9', -1],
    ['007', '7', 0],
    ['9223372036854775807', '9223372036854775806', 1],
  ])('compareInt64(%s, %s) is %d, exactly', (a, b, expected) => expect(compareInt64(a, b)).toBe(expected));
});
