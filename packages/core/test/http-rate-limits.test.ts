import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSecondaryLimit, quotaSpentUntil, resetAtMs } from '../src/http/rate-limits.js';
import { isRetryableStatus } from '../src/http/retry-policy.js';
import { recordingClient, startFixtureServer, type FixtureServer } from './http-helpers.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.verify());
afterAll(() => server.close());

// A fixed clock: X-RateLimit-Reset is an epoch second, so waits are exact.
const NOW = Date.parse('2026-05-17T12:00:00Z');
const now = () => NOW;
const limit = (remaining: number, resetInS: number) => ({
  'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-used': String(5000 - remaining),
  'x-ratelimit-reset': String(NOW / 1000 + resetInS), 'x-ratelimit-resource': 'core',
});
const PRIMARY = { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' };
const SECONDARY = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0685:5DDC:10B68F9:25FA1BE:62D6354D.',
  documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
};
const user = (headers: Record<string, string>) => ({ request: { path: '/user' }, response: { body: { login: 'octocat' }, headers } });

describe('primary rate limit (X-RateLimit-Remaining / X-RateLimit-Reset)', () => {
  it('an answer spending the last request holds the next one until the reset', async () => {
    server.load({ fixtures: [user(limit(0, 30)), user(limit(4999, 3600))] });
    const { http, waits } = recordingClient(server.url, { now });
    await http.json({ path: '/user' });
    expect(waits).toEqual([]);
    await http.json({ path: '/user' });
    expect(waits).toEqual([30_000]);
  });

  it('requests left: no wait, whatever the reset', async () => {
    server.load({ fixtures: [user(limit(1, 30)), user(limit(0, -5))] });
    const { http, waits } = recordingClient(server.url, { now });
    await http.json({ path: '/user' });
    await http.json({ path: '/user' });
    expect(waits).toEqual([]);
  });

  it('a reset further away than bronze waits stops before the next request, saying when to run again', async () => {
    server.load({ fixtures: [user(limit(0, 2400))] });
    const { http, waits } = recordingClient(server.url, { now });
    await http.json({ path: '/user' });
    await expect(http.json({ path: '/user/repos' })).rejects.toThrow(
      "GET /user/repos: the API's rate limit is spent until 2026-05-17T12:40:00Z (X-RateLimit-Remaining: 0), 40 min from now, longer than the 900 s bronze waits; stopped with what was read so far committed: run again after 2026-05-17T12:40:00Z",
    );
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('a 403 or 429 with Remaining 0 waits for the reset, then asks again', async () => {
    server.load({ fixtures: [{ request: { path: '/user' }, response: { status: 403, body: PRIMARY, headers: limit(0, 20) } }, { request: { path: '/user' }, response: { status: 429, body: PRIMARY, headers: limit(0, 45) } }, user(limit(4999, 3600))] });
    const { http, waits } = recordingClient(server.url, { now });
    expect((await http.json<{ login: string }>({ path: '/user' })).body.login).toBe('octocat');
    expect(waits).toEqual([20_000, 45_000]);
  });

  it('a 403 with Remaining 0 resetting later than bronze waits fails, naming the time', async () => {
    server.load({ fixtures: [{ request: { path: '/user' }, response: { status: 403, body: PRIMARY, headers: limit(0, 3000) } }] });
    const { http } = recordingClient(server.url, { now });
    await expect(http.json({ path: '/user' })).rejects.toThrow(/answered 403 \(asked to wait 3000 s\); the server asks to wait 3000 s, longer than the 900 s bronze waits; try again later \(after 2026-05-17T12:50:00Z\)/);
  });
  // GitHub's real answer of 2013 (PyGithub's SpecificExceptions.testRateLimitExceeded): a 403,
  // Remaining 0, no reset header, so no time to wait for. It read "credentials refused", and a
  // source's token advice followed: the token was fine, the hour's requests spent.
  it('a 403 with Remaining 0 and no reset fails as the quota, not as refused credentials', async () => {
    const headers = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0' };
    server.load({ fixtures: [{ request: { path: '/user' }, response: { status: 403, body: { message: 'API Rate Limit Exceeded for 92.104.200.119' }, headers } }] });
    const { http, waits } = recordingClient(server.url, { now, auth: { headers: async () => ({}), advice: 'create a new token' } });
    const err = await http.json({ path: '/user' }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/answered 403 \(no request left in the quota, and no time given to wait for it; not retried\): \{"message":"API Rate Limit Exceeded/);
    expect((err as Error).message).not.toMatch(/credentials refused|new token/);
    expect(waits).toEqual([]);
  });
});

describe('secondary rate limit', () => {
  it('403 or 429 with Retry-After waits as asked', async () => {
    server.load({ fixtures: [{ request: { path: '/user' }, response: { status: 403, body: SECONDARY, headers: { 'retry-after': '3' } } }, { request: { path: '/user' }, response: { status: 429, body: SECONDARY, headers: { 'retry-after': '8' } } }, user(limit(4990, 3600))] });
    const { http, waits } = recordingClient(server.url, { now });
    await http.json({ path: '/user' });
    expect(waits).toEqual([3000, 8000]);
  });

  it('a secondary-limit 403 without headers waits a minute and more, growing', async () => {
    server.load({ fixtures: [{ request: { path: '/user' }, response: { status: 403, body: SECONDARY }, times: 2 }, user(limit(4990, 3600))] });
    const { http, waits } = recordingClient(server.url, { now });
    await http.json({ path: '/user' });
    expect(waits).toEqual([60_750, 61_500]); // 60 s + backoff (base 1 s, equal jitter, random() = 0.5)
  });

  it('a 403 that is a refusal is not retried', async () => {
    server.load({ fixtures: [{ request: { path: '/user/repos' }, response: { status: 403, body: { message: 'Resource not accessible by personal access token' }, headers: limit(4990, 3600) } }] });
    const { http, waits } = recordingClient(server.url, { now });
    await expect(http.json({ path: '/user/repos' })).rejects.toThrow(/answered 403 \(credentials refused; not retried\): \{"message":"Resource not accessible/);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});

describe('the policy as pure functions', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it('X-RateLimit-Reset: an epoch second, or seconds from now when small', () => {
    expect(resetAtMs(h({ 'x-ratelimit-reset': '1779019230' }), NOW)).toBe(1_779_019_230_000);
    expect(resetAtMs(h({ 'x-ratelimit-reset': '42' }), NOW)).toBe(NOW + 42_000);
    expect(resetAtMs(h({ 'x-ratelimit-reset': 'soon' }), NOW)).toBeUndefined();
  });
  it('spent only at Remaining 0 with a reset ahead', () => {
    expect(quotaSpentUntil(h(limit(0, 10)), NOW)).toBe(NOW + 10_000);
    expect(quotaSpentUntil(h(limit(1, 10)), NOW)).toBeUndefined();
    expect(quotaSpentUntil(h(limit(0, -10)), NOW)).toBeUndefined();
    expect(quotaSpentUntil(h({}), NOW)).toBeUndefined();
  });
  it('a 403 is retried only as a rate limit', () => {
    expect(isRetryableStatus(403, h({}))).toBe(false);
    expect(isRetryableStatus(403, h({ 'retry-after': '5' }))).toBe(true);
    expect(isRetryableStatus(403, h(limit(0, 10)))).toBe(true);
    expect(isRetryableStatus(403, h(limit(10, 10)))).toBe(false);
    expect(isSecondaryLimit(403, JSON.stringify(SECONDARY))).toBe(true);
    expect(isSecondaryLimit(403, JSON.stringify(PRIMARY))).toBe(false);
    expect(isSecondaryLimit(404, JSON.stringify(SECONDARY))).toBe(false);
  });
});
