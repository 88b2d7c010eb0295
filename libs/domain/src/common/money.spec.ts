import { compareMoney, moneyNanos } from './money';

describe('money arithmetic', () => {
  it('counts nanos exactly, beyond 2^53', () => {
    expect(moneyNanos({ currencyCode: 'EUR', units: '1', nanos: 500000000 })).toBe(1500000000n);
    expect(moneyNanos({ currencyCode: 'EUR', units: '-1', nanos: -1 })).toBe(-1000000001n);
    expect(moneyNanos({ currencyCode: 'EUR', units: '9223372036854775807', nanos: 999999999 })).toBe(
      9223372036854775807999999999n,
    );
  });

  it('compares amounts of one currency', () => {
    const eur = (units: string, nanos = 0) => ({ currencyCode: 'EUR', units, nanos });
    expect(compareMoney(eur('1', 500000000), eur('1', 490000000))).toBe(1);
    expect(compareMoney(eur('1'), eur('2'))).toBe(-1);
    expect(compareMoney(eur('2'), eur('2'))).toBe(0);
    expect(compareMoney(eur('2'), { currencyCode: 'USD', units: '2', nanos: 0 })).toBeUndefined();
  });
});
