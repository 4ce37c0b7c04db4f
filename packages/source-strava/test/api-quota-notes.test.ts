import { afterAll, beforeAll, expect, it } from 'vitest';
import { listRuns, quarterHourWindow, utcDayWindow, type Source } from '@bronze/core';
import { describeOneEngine } from '@bronze/testkit';
import strava from '../src/index.js';
import { activitiesFrom, startStravaSim, type StravaSim } from './helpers/strava-api.js';
import { apiEnv, runApi, signedIn } from './helpers/api-run.js';

// 30 activities against a daily read limit of 20: the first run stops on the day's quota.
let sim: StravaSim;
beforeAll(async () => {
  sim = await startStravaSim(activitiesFrom('2016-01-01T07:00:00Z', 30, 24 * 120));
  sim.usage.limits = [100, 20];
});
afterAll(() => sim.close());

// Strava's windows, the day's reset always the UTC midnight at least 11 minutes away: run in the
// last minutes of a day, the real one would pause for the reset (under 10 minutes) instead of stopping.
const dayEndingLater: Source = {
  ...strava,
  usageQuota: { ...strava.usageQuota!, windows: [quarterHourWindow, { name: 'daily', resetsAt: (now) => utcDayWindow.resetsAt(new Date(now.getTime() + 11 * 60_000)) }] },
};

describeOneEngine('strava API: a quota stop is kept with its run', (db) => {
  it('bronze_runs holds the stop (when to run again) and the progress, as the summary showed them', async () => {
    const s = signedIn(sim);
    const { result } = await runApi(db(), apiEnv(sim, s.tokenFile, s.root), { source: dayEndingLater });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    const [run] = await listRuns(db(), { source: 'strava', limit: 1 });
    expect(run).toMatchObject({ id: result!.runId, status: 'succeeded' });
    expect(run.notes).toEqual(result!.notes);
    const stored = run.notes.join('\n');
    expect(stored).toMatch(/19 of 20 requests of the daily window used \(x-readratelimit-usage\).*the backfill is incomplete: run again after \d{4}-\d\d-\d\dT00:00:00Z \(UTC midnight\)/);
    expect(stored).toMatch(/activity_details: \d+ of ~30 activities have details/);
    // A token never reaches a note (core redacts notes like log lines).
    expect(stored).not.toContain(sim.token.access);
  });
});
