/** Calendar arithmetic in UTC, shared by the access-period rules and the timestamp readers. */

export function daysInMonth(year: number, month: number): number {
  return utcDate(year, month + 1, 0).getUTCDate(); // day 0 of the next month is the last of this one
}

/** Midnight UTC of that day; years 0-99 are not shifted to 1900-1999 as Date.UTC would do. */
export function utcDate(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}
