import { pgTimestamp } from './rows';

describe('pgTimestamp', () => {
  it.each([
    ['2026-11-29 20:00:00.123+00', '2026-11-29T20:00:00.123Z'],
    ['2026-11-29 20:00:00+00', '2026-11-29T20:00:00.000Z'],
    ['2026-11-29 22:30:00+02:30', '2026-11-29T20:00:00.000Z'],
    // Date's own parser reads a two-digit-ish year 0001 as 2001; the ISO form keeps it.
    ['0001-01-01 00:00:00+00', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31 23:59:59.999+00', '9999-12-31T23:59:59.999Z'],
  ])('%s', (text, iso) => {
    expect(pgTimestamp(text)?.toISOString()).toBe(iso);
  });

  it('keeps absent values absent', () => {
    expect(pgTimestamp(null)).toBeUndefined();
    expect(pgTimestamp(undefined)).toBeUndefined();
  });
});
