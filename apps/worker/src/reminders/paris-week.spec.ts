import { parisWeek } from './reminders.processor';

describe('parisWeek', () => {
  it.each([
    ['2026-11-23T08:00:00Z', '2026-W48'],
    ['2026-11-22T23:30:00Z', '2026-W48'], // already Monday 00:30 in Paris
    ['2026-01-01T12:00:00Z', '2026-W01'],
    ['2027-01-01T12:00:00Z', '2026-W53'],
    ['2025-12-29T12:00:00Z', '2026-W01'],
  ])('%s is in %s', (iso, week) => {
    expect(parisWeek(new Date(iso))).toBe(week);
  });
});
