import { code as currencyByCode } from 'currency-codes';
import { isValid as isKnownCountry } from 'i18n-iso-countries';
import ISO6391 from 'iso-639-1';

const ALPHA2_UPPER = /^[A-Z]{2}$/;
const CURRENCY_UPPER = /^[A-Z]{3}$/;
const LOCALE_KEY = /^([a-z]{2})(?:-([A-Z]{2}))?$/;

/**
 * ISO 3166-1 alpha-2, upper case only (`FR`; not `fr`, `FRA` or `250`, which the library would accept).
 * `XK` (Kosovo, user-assigned but in common use) is accepted because the library lists it.
 */
export function isCountryCode(s: unknown): s is string {
  return typeof s === 'string' && ALPHA2_UPPER.test(s) && isKnownCountry(s);
}

/** ISO 4217 alphabetic code, upper case only (`EUR`; not `eur`). */
export function isCurrencyCode(s: unknown): s is string {
  return typeof s === 'string' && CURRENCY_UPPER.test(s) && currencyByCode(s) !== undefined;
}

/**
 * Key of a localized map: an ISO 639-1 language in lower case, optionally `-` and an ISO 3166-1 alpha-2
 * region in upper case: `en`, `en-US`. Not `EN`, `en-us`, `en_US`, `xx`.
 */
export function isLocaleKey(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const match = LOCALE_KEY.exec(s);
  if (!match) return false;
  const [, language, region] = match;
  return ISO6391.validate(language) && (region === undefined || isCountryCode(region));
}

export const COUNTRY_CODE_DESCRIPTION = 'must be an upper-case ISO 3166-1 alpha-2 country code such as FR';
export const CURRENCY_CODE_DESCRIPTION = 'must be an upper-case ISO 4217 currency code such as EUR';
export const LOCALE_KEY_DESCRIPTION =
  'must be a lower-case ISO 639-1 language code, optionally with an upper-case ISO 3166-1 alpha-2 region (en, en-US)';
