import { isCountryCode, isCurrencyCode, isLocaleKey } from './codes';

describe('isCountryCode', () => {
  it.each(['FR', 'US', 'GB', 'BE', 'XK'])('accepts %s', (code) => expect(isCountryCode(code)).toBe(true));

  it.each([
    ['fr', 'lower case'],
    ['Fr', 'mixed case'],
    ['FRA', 'alpha-3'],
    ['250', 'numeric'],
    ['UK', 'not assigned (GB is)'],
    ['ZZ', 'not assigned'],
    ['', 'empty'],
    [' FR', 'padded'],
    [42, 'not a string'],
    [undefined, 'absent'],
  ])('rejects %p (%s)', (code, _reason) => expect(isCountryCode(code)).toBe(false));
});

describe('isCurrencyCode', () => {
  it.each(['EUR', 'USD', 'GBP', 'JPY', 'CHF'])('accepts %s', (code) => expect(isCurrencyCode(code)).toBe(true));

  it.each([
    ['eur', 'lower case'],
    ['Eur', 'mixed case'],
    ['EURO', 'too long'],
    ['EU', 'too short'],
    ['ABC', 'not assigned'],
    ['978', 'numeric code'],
    ['', 'empty'],
    [978, 'not a string'],
  ])('rejects %p (%s)', (code, _reason) => expect(isCurrencyCode(code)).toBe(false));
});

describe('isLocaleKey', () => {
  it.each(['en', 'de', 'fr', 'en-US', 'en-GB', 'pt-BR', 'nl-BE'])('accepts %s', (key) =>
    expect(isLocaleKey(key)).toBe(true),
  );

  it.each([
    ['EN', 'upper-case language'],
    ['en-us', 'lower-case region'],
    ['en_US', 'underscore'],
    ['xx', 'not an ISO 639-1 language'],
    ['eng', 'ISO 639-2'],
    ['en-ZZ', 'unknown region'],
    ['en-USA', 'alpha-3 region'],
    ['en-', 'empty region'],
    ['', 'empty'],
    ['toString', 'an Object.prototype member'],
    [null, 'not a string'],
  ])('rejects %p (%s)', (key, _reason) => expect(isLocaleKey(key)).toBe(false));
});
