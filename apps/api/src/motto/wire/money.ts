import { CURRENCY_CODE_DESCRIPTION, FieldViolation, isCurrencyCode, Money, NANOS_MAX } from '@app/domain';
import { Validated, quoted, validated } from './wire';
import { WireReader } from './wire-reader';

/** google.type.Money on the wire: `{"currency_code": "EUR", "units": "1", "nanos": 500000000}`. */
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
