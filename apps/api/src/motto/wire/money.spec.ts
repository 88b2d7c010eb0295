import { moneyProblems, parseMoney } from './money';

const at = 'offer_prices[0].price';

describe('parseMoney', () => {
  it.each([
    [
      { currency_code: 'EUR', units: '1', nanos: 500000000 },
      { currencyCode: 'EUR', units: '1', nanos: 500000000 },
    ],
    [
      { currency_code: 'EUR', units: '49' },
      { currencyCode: 'EUR', units: '49', nanos: 0 },
    ],
    [
      { currency_code: 'EUR', units: 49 },
      { currencyCode: 'EUR', units: '49', nanos: 0 },
    ],
    [
      { currency_code: 'EUR', units: '049' },
      { currencyCode: 'EUR', units: '49', nanos: 0 },
    ],
    [
      { currency_code: 'EUR', nanos: 990000000 },
      { currencyCode: 'EUR', units: '0', nanos: 990000000 },
    ],
    [
      { currency_code: 'EUR', nanos: '5' },
      { currencyCode: 'EUR', units: '0', nanos: 5 },
    ],
    [
      { currency_code: 'EUR', units: null, nanos: null },
      { currencyCode: 'EUR', units: '0', nanos: 0 },
    ],
    [{ currency_code: 'USD' }, { currencyCode: 'USD', units: '0', nanos: 0 }],
    [
      { currency_code: 'EUR', units: '9223372036854775807', nanos: 999999999 },
      { currencyCode: 'EUR', units: '9223372036854775807', nanos: 999999999 },
    ],
  ])('reads %j', (input, money) => expect(parseMoney(input, at)).toEqual({ value: money, violations: [] }));

  it('accepts negative amounts only when allowed, with matching signs', () => {
    expect(
      parseMoney({ currency_code: 'EUR', units: '-1', nanos: -500000000 }, at, { allowNegative: true }).value,
    ).toEqual({
      currencyCode: 'EUR',
      units: '-1',
      nanos: -500000000,
    });
    expect(parseMoney({ currency_code: 'EUR', units: '0', nanos: -5 }, at, { allowNegative: true }).violations).toEqual(
      [],
    );
  });

  it.each([
    [
      { units: '1' },
      [{ field: `${at}.currency_code`, description: 'is required: an upper-case ISO 4217 currency code such as EUR' }],
    ],
    [
      { currency_code: 'eur' },
      [
        {
          field: `${at}.currency_code`,
          description: 'must be an upper-case ISO 4217 currency code such as EUR (got "eur")',
        },
      ],
    ],
    [
      { currency_code: 'XYZ' },
      [
        {
          field: `${at}.currency_code`,
          description: 'must be an upper-case ISO 4217 currency code such as EUR (got "XYZ")',
        },
      ],
    ],
    [
      { currency_code: 978 },
      [
        {
          field: `${at}.currency_code`,
          description: 'must be an upper-case ISO 4217 currency code such as EUR (got 978)',
        },
      ],
    ],
    [
      { currency_code: 'EUR', units: '1.5' },
      [{ field: `${at}.units`, description: 'must be an int64 decimal string (digits with an optional leading -)' }],
    ],
    [
      { currency_code: 'EUR', units: 1.5 },
      [{ field: `${at}.units`, description: 'must be an int64 decimal string (got a non-integer number)' }],
    ],
    [
      { currency_code: 'EUR', units: '99999999999999999999' },
      [{ field: `${at}.units`, description: 'must be an int64, from -9223372036854775808 to 9223372036854775807' }],
    ],
    [
      { currency_code: 'EUR', nanos: 1000000000 },
      [{ field: `${at}.nanos`, description: 'must be an integer from -999999999 to 999999999 (got 1000000000)' }],
    ],
    [
      { currency_code: 'EUR', nanos: 0.5 },
      [{ field: `${at}.nanos`, description: 'must be an integer from -999999999 to 999999999 (got 0.5)' }],
    ],
    [
      { currency_code: 'EUR', nanos: '0.5' },
      [{ field: `${at}.nanos`, description: 'must be an integer from -999999999 to 999999999 (got "0.5")' }],
    ],
    [
      { currency_code: 'EUR', nanos: true },
      [{ field: `${at}.nanos`, description: 'must be an integer from -999999999 to 999999999 (got true)' }],
    ],
    [
      { currency_code: 'EUR', units: '1', nanos: -1 },
      [{ field: `${at}.nanos`, description: 'must have the same sign as units' }],
    ],
    [
      { currency_code: 'EUR', units: '-1', nanos: 1 },
      [{ field: `${at}.nanos`, description: 'must have the same sign as units' }],
    ],
    [{ currency_code: 'EUR', units: '-1' }, [{ field: at, description: 'must not be negative' }]],
    [{ currency_code: 'EUR', units: -1 }, [{ field: at, description: 'must not be negative' }]],
    [{ currency_code: 'EUR', nanos: -1 }, [{ field: at, description: 'must not be negative' }]],
    [{ currency_code: 'EUR', amount: 1 }, [{ field: `${at}.amount`, description: 'unknown field' }]],
    [
      { currencyCode: 'EUR' },
      [
        { field: `${at}.currencyCode`, description: 'unknown field (did you mean "currency_code"?)' },
        { field: `${at}.currency_code`, description: 'is required: an upper-case ISO 4217 currency code such as EUR' },
      ],
    ],
    ['1.50 EUR', [{ field: at, description: 'must be an object (got a string)' }]],
    [[], [{ field: at, description: 'must be an object (got an array)' }]],
    [
      { currency_code: 'eur', units: 'x', nanos: 2000000000 },
      [
        {
          field: `${at}.currency_code`,
          description: 'must be an upper-case ISO 4217 currency code such as EUR (got "eur")',
        },
        { field: `${at}.units`, description: 'must be an int64 decimal string (digits with an optional leading -)' },
        { field: `${at}.nanos`, description: 'must be an integer from -999999999 to 999999999 (got 2000000000)' },
      ],
    ],
  ])('rejects %j', (input, violations) => {
    const result = parseMoney(input, at);
    expect(result.violations).toEqual(violations);
    expect(result.value).toBeUndefined();
    expect(moneyProblems(input, at)).toEqual(violations);
  });
});
