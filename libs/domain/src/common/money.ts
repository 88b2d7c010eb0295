/**
 * google.type.Money: an amount in a currency, `units` whole units plus `nanos` billionths.
 * 1.50 EUR is `{ currencyCode: 'EUR', units: '1', nanos: 500_000_000 }`. No floating point: units is an
 * int64 decimal string, amounts are compared as BigInt.
 */
export interface Money {
  currencyCode: string;
  /** int64 as a decimal string. */
  units: string;
  /** From -999,999,999 to 999,999,999, with the sign of units when units is not zero. */
  nanos: number;
}

export const NANOS_MAX = 999_999_999;

/** The amount in nanos (units × 10^9 + nanos), exact. */
export function moneyNanos(money: Money): bigint {
  return BigInt(money.units) * 1_000_000_000n + BigInt(money.nanos);
}

/** Negative, zero or positive like a sort comparator; undefined when the currencies differ. */
export function compareMoney(a: Money, b: Money): number | undefined {
  if (a.currencyCode !== b.currencyCode) return undefined;
  const x = moneyNanos(a);
  const y = moneyNanos(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
