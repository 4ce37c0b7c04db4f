import { afterAll, beforeAll, expect, it } from 'vitest';
import { utcDayWindow, type Source } from '@bronze/core';
import { describeOneEngine } from '@bronze/testkit';
import strava from '../src/index.js';
import { activitiesFrom, startStravaSim, type StravaSim } from './helpers/strava-api.js';
import { apiEnv, cursorOf, rowsOf, runApi, signedIn } from './helpers/api-run.js';

// 30 activities against a 15-minute read limit of 20 (95%: 19 requests): a backfill spanning windows.
const N = 30;
let sim: StravaSim;
beforeAll(async () => {
  sim = await startStravaSim(activitiesFrom('2016-01-01T07:00:00Z', N, 24 * 120));
  sim.usage.limits = [20, 1000];
});
afterAll(() => sim.close());

/** Strava's declaration with the 15-minute window's reset placed where the case needs it (the real one follows the clock). */
const withReset = (ms: number): Source => ({ ...strava, usageQuota: { ...strava.usageQuota!, windows: [{ name: '15-minute', resetsAt: (now) => new Date(now.getTime() + ms) }, utcDayWindow] } });

it('the source declares Strava\'s headers and windows', () => {
  expect(strava.usageQuota?.headers.map((h) => h.usage)).toEqual(['x-ratelimit-usage', 'x-readratelimit-usage']);
  expect(strava.usageQuota?.windows.map((w) => w.name)).toEqual(['15-minute', 'daily']);
});

describeOneEngine('strava API: the rate-limit headers', (db) => {
  it('at 95% with the reset 14 minutes away each run stops cleanly; repeated runs converge, never re-asking a stored activity', async () => {
    const s = signedIn(sim);
    const env = apiEnv(sim, s.tokenFile, s.root);
    const notes: string[][] = [];
    for (let run = 1; run <= 10; run++) {
      sim.usage.fifteen = 0; // a new 15-minute window
      const { result } = await runApi(db(), env, { source: withReset(14 * 60_000) });
      expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
      notes.push(result!.notes);
      if (run === 1) {
        // Stopped mid-backfill: every detail stored is covered by the saved cursor, none beyond it.
        const stored = await rowsOf(db(), 'activity_details');
        expect(stored.length).toBeGreaterThan(0);
        expect(stored.length).toBeLessThan(N);
        const cursor = await cursorOf(db(), 'activity_details');
        expect(cursor.count).toBe(stored.length);
        expect(cursor.cursor).toBe(new Date(Math.max(...stored.map((r) => Date.parse(r.raw_data.start_date)))).toISOString());
      }
      expect(sim.usage.fifteen).toBeLessThanOrEqual(19);
      if (!result!.notes.some((n) => n.includes('the backfill is incomplete'))) break;
      expect(result!.notes.join('\n')).toMatch(/19 of 20 requests of the 15-minute window used \(x-readratelimit-usage\).*run again after \d{4}-\d\d-\d\dT/);
    }
    expect(notes.length).toBeGreaterThan(2);
    expect(notes.length).toBeLessThan(10);
    // Progress, as the user sees it after the first stopped run.
    expect(notes[0].join('\n')).toMatch(/activity_details: \d+ of ~30 activities have details \(through 20\d\d-\d\d-\d\d\)/);
    const asked = (re: RegExp) => sim.requests.filter((r) => re.test(r.path)).map((r) => r.path);
    const details = asked(/^\/api\/v3\/activities\/\d+$/);
    const streams = asked(/^\/api\/v3\/activities\/\d+\/streams$/);
    expect(details).toHaveLength(N);
    expect(new Set(details).size).toBe(N);
    expect(streams).toHaveLength(N);
    expect(new Set(streams).size).toBe(N);
    for (const stream of ['activities', 'activity_details', 'activity_streams']) expect(await rowsOf(db(), stream)).toHaveLength(N);
    expect(await cursorOf(db(), 'activity_streams')).toMatchObject({ count: N });
  });

  it('at 95% with the reset moments away the run pauses until it, then finishes in the same run', async () => {
    sim.activities.push(...activitiesFrom('2026-01-01T07:00:00Z', 25).map((a) => ({ ...a, id: a.id + 500 })));
    const s = signedIn(sim);
    sim.usage.fifteen = 0;
    let hitAt = 0;
    sim.onApiRequest = () => {
      if (hitAt && Date.now() - hitAt >= 300) [sim.usage.fifteen, hitAt] = [0, 0];
      else if (!hitAt && sim.usage.fifteen + 1 >= 19) hitAt = Date.now();
    };
    const waits: string[] = [];
    const { result } = await runApi(db(), apiEnv(sim, s.tokenFile, s.root), { source: withReset(400), onHttpWait: (_ms, reason) => waits.push(reason) });
    sim.onApiRequest = undefined;
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    expect(result!.notes.join('\n')).not.toContain('incomplete');
    expect(waits.length).toBeGreaterThan(1);
    expect(waits[0]).toMatch(/19 of 20 requests of the 15-minute window used/);
    expect(await rowsOf(db(), 'activity_details')).toHaveLength(N + 25);
  });
});
