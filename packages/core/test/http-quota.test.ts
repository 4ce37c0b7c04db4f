import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { quotaResetWaitMs, requestedWaitMs } from '../src/http/retry-policy.js';
import { recordingClient, startFixtureServer, type FixtureServer } from './http-helpers.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.verify());
afterAll(() => server.close());

// Toggl sends both headers on every response, spent or not (as its API does).
const quota = (remaining: number, resetsIn = 1800) => ({ 'x-toggl-quota-remaining': String(remaining), 'x-toggl-quota-resets-in': String(resetsIn) });
const ok = { request: { path: '/api/v9/me' }, response: { body: { id: 7 }, headers: quota(27) } };

describe('quota headers on every response', () => {
  it('a 503 carrying Resets-In: 1800 with quota left follows the backoff, not the reset', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 503, headers: quota(28) } }, ok] });
    const { http, waits } = recordingClient(server.url);
    const res = await http.json<{ id: number }>({ path: '/api/v9/me' });
    expect(res.body.id).toBe(7);
    expect(waits).toEqual([750]); // backoff: base 1 s, equal jitter with random() = 0.5
  });

  it('a 429 carrying the quota headers follows Retry-After', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 429, headers: { ...quota(12), 'retry-after': '2' } } }, ok] });
    const { http, waits } = recordingClient(server.url);
    await http.json({ path: '/api/v9/me' });
    expect(waits).toEqual([2000]);
  });

  it('a 429 without Retry-After and with quota left follows the backoff', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 429, headers: quota(12) } }, ok] });
    const { http, waits } = recordingClient(server.url);
    await http.json({ path: '/api/v9/me' });
    expect(waits).toEqual([750]);
  });

  it('five 5xx in a row, each with Resets-In: 1800, end in the usual "failed after 5 attempts"', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 502, headers: quota(20) }, times: 5 }] });
    const { http, waits } = recordingClient(server.url);
    await expect(http.json({ path: '/api/v9/me' })).rejects.toThrow('GET /api/v9/me failed after 5 attempts: answered 502');
    expect(waits).toEqual([750, 1500, 3000, 6000]);
  });

  it('a 402 waits for the quota reset', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 402, headers: quota(0, 42), body: 'quota' } }, ok] });
    const { http, waits } = recordingClient(server.url);
    await http.json({ path: '/api/v9/me' });
    expect(waits).toEqual([42_000]);
  });

  it('a 429 or 5xx when Quota-Remaining is 0 waits for the reset too (a retry sooner would only meet a 402)', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 429, headers: quota(0, 5) } }, { request: { path: '/api/v9/me' }, response: { status: 503, headers: quota(0, 7) } }, ok] });
    const { http, waits } = recordingClient(server.url);
    await http.json({ path: '/api/v9/me' });
    expect(waits).toEqual([5000, 7000]);
  });

  it('a spent quota resetting later than bronze waits fails with the wait named', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 402, headers: quota(0, 1800), body: 'quota' } }] });
    const { http, waits } = recordingClient(server.url);
    await expect(http.json({ path: '/api/v9/me' })).rejects.toThrow(/answered 402 \(asked to wait 1800 s\); the server asks to wait 1800 s, longer than the 900 s bronze waits/);
    expect(waits).toEqual([]);
  });
});

describe('the policy as pure functions', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it('the reset applies to 402 and to a spent quota only', () => {
    expect(quotaResetWaitMs(503, h(quota(3)))).toBeUndefined();
    expect(quotaResetWaitMs(429, h(quota(3)))).toBeUndefined();
    expect(quotaResetWaitMs(402, h(quota(3, 60)))).toBe(60_000);
    expect(quotaResetWaitMs(503, h(quota(0, 60)))).toBe(60_000);
    expect(requestedWaitMs(h({ ...quota(3), 'retry-after': '4' }), 0, 503)).toBe(4000);
    expect(requestedWaitMs(h(quota(3)), 0, 503)).toBeUndefined();
  });
});
