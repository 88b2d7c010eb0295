import { daysInMonth } from './calendar';

describe('daysInMonth', () => {
  it.each([
    [2023, 1, 31],
    [2023, 2, 28],
    [2024, 2, 29],
    [1900, 2, 28],
    [2000, 2, 29],
    [2023, 4, 30],
    [2023, 12, 31],
  ])('%d-%d has %d days', (year, month, days) => expect(daysInMonth(year, month)).toBe(days));
});
