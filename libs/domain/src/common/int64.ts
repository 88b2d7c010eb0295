/** int64 values travel and are stored as decimal strings (priorities, limits, money units). */

/** Orders two int64 decimal strings numerically: negative, zero or positive like a sort comparator. */
export function compareInt64(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
