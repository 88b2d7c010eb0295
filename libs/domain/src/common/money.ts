import { FieldViolation } from '../errors/domain-error';
import { CURRENCY_CODE_DESCRIPTION, isCurrencyCode } from './codes';
import { Validated, quoted, validated } from './wire';
import { WireReader } from './wire-reader';

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
export const MONEY_WIRE_FIELDS = ['currency_code', 'units', 'nanos'] as const;

export interface MoneyRules {
  /** Prices are never negative; allow it only for amounts that may be (a refund, a balance). */
  allowNegative?: boolean;
}

/**
 * Reads a wire Money (`{"currency_code": "EUR", "units": "1", "nanos": 500000000}`): absent units and
 * nanos are 0; units may be a decimal string or a safe-integer JSON number; nanos a JSON integer or a
 * decimal string (protobuf-JSON accepts both for int32). Violations are named below `path`.
 */
export function parseMoney(input: unknown, path: string, rules: MoneyRules = {}): Validated<Money> {
  const violations: FieldViolation[] = [];
  const reader = WireReader.of(input, path, MONEY_WIRE_FIELDS, violations);
  if (!reader) return { violations };

  const currencyCode = readCurrencyCode(reader);
  const before = violations.length;
  const units = reader.int64('units') ?? '0';
  const nanos = readNanos(reader);
  const amountReadable = violations.length === before;
  if (amountReadable) checkSign(BigInt(units), nanos, path, rules, violations);
  return validated({ currencyCode, units, nanos }, violations);
}

export function moneyProblems(input: unknown, path: string, rules: MoneyRules = {}): FieldViolation[] {
  return parseMoney(input, path, rules).violations;
}

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

function readCurrencyCode(reader: WireReader): string {
  const value = reader.raw('currency_code');
  if (value === undefined) {
    reader.fail('currency_code', `is required: ${CURRENCY_CODE_DESCRIPTION.replace(/^must be /, '')}`);
    return '';
  }
  if (!isCurrencyCode(value)) {
    reader.fail('currency_code', `${CURRENCY_CODE_DESCRIPTION} (got ${quoted(value)})`);
    return '';
  }
  return value;
}

function readNanos(reader: WireReader): number {
  const value = reader.raw('nanos');
  if (value === undefined) return 0;
  const n = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || Math.abs(n) > NANOS_MAX) {
    reader.fail('nanos', `must be an integer from -${NANOS_MAX} to ${NANOS_MAX} (got ${quoted(value)})`);
    return 0;
  }
  return n === 0 ? 0 : n; // no -0
}

function checkSign(units: bigint, nanos: number, path: string, rules: MoneyRules, violations: FieldViolation[]): void {
  if ((units > 0n && nanos < 0) || (units < 0n && nanos > 0)) {
    violations.push({ field: `${path}.nanos`, description: 'must have the same sign as units' });
    return;
  }
  if (!rules.allowNegative && (units < 0n || nanos < 0)) {
    violations.push({ field: path, description: 'must not be negative' });
  }
}
