import { wireTypeName } from './wire';

/**
 * 64-bit integers travel as decimal strings in protobuf-JSON (`"priority": "1"`); a JSON number is also
 * accepted when it is a safe integer, because beyond 2^53 a JavaScript number has already lost digits.
 * Values are checked and compared with BigInt, never through floating point.
 */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

const DECIMAL = /^-?\d+$/;

export const INT64_DESCRIPTION = 'must be an int64 decimal string';

export interface Int64Bounds {
  min?: bigint;
  max?: bigint;
}

export type Int64Result = { value: string; problem?: undefined } | { value?: undefined; problem: string };

/** The canonical decimal string (`"007"` → `"7"`, `"-0"` → `"0"`) or what is wrong with the input. */
export function parseInt64(input: unknown, bounds: Int64Bounds = {}): Int64Result {
  const parsed = toBigInt(input);
  if (typeof parsed === 'string') return { problem: parsed };
  if (parsed < INT64_MIN || parsed > INT64_MAX) {
    return { problem: `must be an int64, from ${INT64_MIN} to ${INT64_MAX}` };
  }
  if (bounds.min !== undefined && parsed < bounds.min) return { problem: `must be at least ${bounds.min}` };
  if (bounds.max !== undefined && parsed > bounds.max) return { problem: `must be at most ${bounds.max}` };
  return { value: parsed.toString() };
}

export function int64Problem(input: unknown, bounds: Int64Bounds = {}): string | undefined {
  return parseInt64(input, bounds).problem;
}

/** True for a decimal string in the int64 range (leading zeros allowed). */
export function isInt64String(input: unknown): input is string {
  return typeof input === 'string' && parseInt64(input).problem === undefined;
}

/** The value as a BigInt, or a problem description. */
function toBigInt(input: unknown): bigint | string {
  if (typeof input === 'string') {
    return DECIMAL.test(input) ? BigInt(input) : `${INT64_DESCRIPTION} (digits with an optional leading -)`;
  }
  if (typeof input === 'number') {
    if (!Number.isInteger(input)) return `${INT64_DESCRIPTION} (got a non-integer number)`;
    if (!Number.isSafeInteger(input)) {
      return `${INT64_DESCRIPTION} (a JSON number beyond 2^53 - 1 has lost precision; send it as a string)`;
    }
    return BigInt(input);
  }
  return `${INT64_DESCRIPTION} (got ${wireTypeName(input)})`;
}
