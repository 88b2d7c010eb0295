import { daysInMonth, utcDate } from '@app/domain';

/**
 * RFC 3339 timestamps as protobuf-JSON writes them (`2023-11-07T05:31:56Z`).
 *
 * Accepted: `YYYY-MM-DDTHH:MM:SS`, optional fraction of 1 to 9 digits, then `Z` or `±HH:MM`
 * (`T` and `Z` also in lower case, as RFC 3339 allows). Refused: impossible dates (2023-02-30),
 * leap seconds (`:60`, a JavaScript Date cannot hold them), years outside 0001-9999 (the range of
 * google.protobuf.Timestamp), a space instead of `T`, a missing offset.
 * Digits beyond milliseconds are truncated: a Date holds milliseconds.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const EARLIEST = utcDate(1, 1, 1).getTime();
const LATEST = utcDate(9999, 12, 31).getTime() + 86_400_000 - 1;

export function parseRfc3339(s: string): Date | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetMinutes = m[8] ? offset(m[8], Number(m[9]), Number(m[10])) : 0;
  if (offsetMinutes === undefined) return undefined;

  const local = utcDate(year, month, day);
  local.setUTCHours(hour, minute, second, millis);
  const time = local.getTime() - offsetMinutes * 60_000;
  return time < EARLIEST || time > LATEST ? undefined : new Date(time);
}

/** RFC 3339 in UTC: `2023-11-07T05:31:56Z`, or `2023-11-07T05:31:56.120Z` when milliseconds are not zero. */
export function formatTimestamp(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

function offset(sign: string, hours: number, minutes: number): number | undefined {
  if (hours > 23 || minutes > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}
