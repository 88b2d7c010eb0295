import { pgTimestamp } from './rows';

describe('pgTimestamp', () => {
  it.each([
    ['2026-11-29 20:00:00.123+00', '2026-11-29T20:00:00.123Z'],
    ['2026-11-29 20:00:00+00', '2026-11-29T20:00:00.000Z'],
    ['2026-11-29 22:30:00+02:30', '2026-11-29T20:00:00.000Z'],
    // Date's own parser reads a two-digit-ish year 0001 as 2001; the ISO form keeps it.
    ['0001-01-01 00:00:00+00', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31 23:59:59.999+00', '9999-12-31T23:59:59.999Z'],
    ['2026-11-29 20:00:00.1+00', '2026-11-29T20:00:00.100Z'],
    ['2026-11-29 20:00:00.12+00', '2026-11-29T20:00:00.120Z'],
    ['2026-11-29 20:00:00.123456+00', '2026-11-29T20:00:00.123Z'],
    ['2024-02-29 23:59:59.999999+00', '2024-02-29T23:59:59.999Z'],
    ['0050-06-01 12:00:00+00', '0050-06-01T12:00:00.000Z'],
    ['2026-11-29 15:00:00-05', '2026-11-29T20:00:00.000Z'],
    ['2026-11-30 01:30:00.5+05:30', '2026-11-29T20:00:00.500Z'],
  ])('%s', (text, iso) => {
    expect(pgTimestamp(text)?.toISOString()).toBe(iso);
  });

  it('reads what PostgreSQL writes for every instant of a day, as Date reads its ISO form', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2026, 0, 2); t += 1_234_567) {
      const iso = new Date(t).toISOString();
      const pg = `${iso.slice(0, 10)} ${iso.slice(11, 23)}+00`;
      expect(pgTimestamp(pg)?.getTime()).toBe(t);
    }
  });

  it('keeps absent values absent', () => {
    expect(pgTimestamp(null)).toBeUndefined();
    expect(pgTimestamp(undefined)).toBeUndefined();
  });
});
