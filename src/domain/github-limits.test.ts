import { describe, expect, it } from 'vitest';
import { forecastLimits } from './github-limits.js';

const NOW = Date.UTC(2026, 11, 8);

describe('forecastLimits', () => {
  it('dates each limit at the rate, says which are passed, and never dates one file or a limit a century away', () => {
    // 900 MB held, 10 MB a day: 1 GB in 10 days, 5 GB in 410, a push of it all (2 GB) in 110.
    const forecast = forecastLimits({ total: 900e6, largest: 200 * 1024 * 1024, site: 1.2e9 }, 10e6, NOW);
    expect(forecast.map((l) => [l.key, l.passed, l.days, l.reached])).toEqual([
      ['repository-recommended', false, 10, '2026-12-18'],
      ['repository', false, 410, '2028-01-22'],
      ['file', true, null, null],
      ['push', false, 110, '2027-03-28'],
      ['pages', true, null, null],
    ]);
    expect(forecastLimits({ total: 1e6, largest: 1, site: 1 }, 1, NOW)[1]).toMatchObject({ days: 4_999_000_000, reached: null });
    expect(forecastLimits({ total: 1e6, largest: 1, site: 1 }, 0, NOW)[0]).toMatchObject({ days: null, reached: null, passed: false });
  });
});
