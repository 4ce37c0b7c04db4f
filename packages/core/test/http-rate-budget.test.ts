import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateBudget } from '../src/http/rate-budget.js';
import { recordingClient, startFixtureServer, type FixtureServer } from './http-helpers.js';

describe('RateBudget (token bucket)', () => {
  it('allows a burst of the full budget, then spaces requests evenly', async () => {
    let t = 0;
    const waits: number[] = [];
    const budget = new RateBudget({ requests: 3, perMilliseconds: 3000 }, () => t, async (ms) => {
      waits.push(ms);
      t += ms;
    });
    const got: number[] = [];
    for (let i = 0; i < 5; i++) got.push(await budget.take());
    expect(got).toEqual([0, 0, 0, 1000, 1000]);
    t += 10_000; // idle time refills, but never beyond the budget
    for (let i = 0; i < 4; i++) got.push(await budget.take());
    expect(got.slice(5)).toEqual([0, 0, 0, 1000]);
  });

  it('serves concurrent callers in order without overspending', async () => {
    let t = 0;
    const budget = new RateBudget({ requests: 1, perMilliseconds: 500 }, () => t, async (ms) => void (t += ms));
    const waited = await Promise.all([budget.take(), budget.take(), budget.take()]);
    expect(waited).toEqual([0, 500, 500]);
    expect(t).toBe(1000);
  });

  it('rejects a meaningless budget', () => {
    expect(() => new RateBudget({ requests: 0, perMilliseconds: 1000 })).toThrow(/requests > 0/);
  });
});

describe('the client spends the budget', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());

  it('waits for a token before each request over the budget', async () => {
    server.load({ fixtures: [{ request: { path: '/me' }, response: { body: {} }, times: 3 }] });
    let t = 0;
    const { http, waits } = recordingClient(server.url, { rateLimit: { requests: 1, perMilliseconds: 1000 }, now: () => t, sleep: async (ms) => void (t += ms) });
    for (let i = 0; i < 3; i++) await http.json({ path: '/me' });
    expect(waits).toEqual([]); // the recording sleep was replaced: the clock moved instead
    expect(t).toBe(2000);
    server.verify();
  });
});
