import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../src/http/client.js';
import { registerSecret } from '../src/secrets.js';
import { headerAuth } from '../src/auth/static-auth.js';
import { recordingClient, startFixtureServer, type FixtureServer } from './http-helpers.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.verify());
afterAll(() => server.close());

const ok = { request: { path: '/api/v9/me' }, response: { body: { id: 7 }, headers: { 'x-request-id': 'req-1' } } };

describe('ctx.http retries', () => {
  it('waits what Retry-After says (seconds) on 429, then succeeds', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 429, headers: { 'retry-after': '3' } } }, ok] });
    const { http, waits } = recordingClient(server.url);
    const res = await http.json<{ id: number }>({ path: '/api/v9/me' });
    expect(res.body.id).toBe(7);
    expect(res.attempts).toBe(2);
    expect(waits).toEqual([3000]);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('reads Retry-After as an HTTP date against the client clock', async () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 503, headers: { 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' } } }, ok] });
    const { http, waits } = recordingClient(server.url, { now: () => now });
    await http.json({ path: '/api/v9/me' });
    expect(waits).toEqual([10_000]);
  });

  it("honours Toggl's 402 with X-Toggl-Quota-Resets-In", async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 402, headers: { 'x-toggl-quota-resets-in': '42', 'x-toggl-quota-remaining': '0' }, body: 'quota' } }, ok] });
    const { http, waits } = recordingClient(server.url);
    const res = await http.json({ path: '/api/v9/me' });
    expect(waits).toEqual([42_000]);
    expect(res.api.status).toBe(200);
  });

  it('a 402 without a quota header is a billing problem: no retry', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 402, body: 'payment required' } }] });
    const { http, waits } = recordingClient(server.url);
    await expect(http.json({ path: '/api/v9/me' })).rejects.toThrow(/answered 402/);
    expect(waits).toEqual([]);
  });

  it('backs off exponentially on 5xx without Retry-After and gives up after maxAttempts with endpoint, status and the answer', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me', query: { page: '2' } }, response: { status: 500, text: 'Internal Server Error' }, times: 3 }] });
    const { http, waits } = recordingClient(server.url, { maxAttempts: 3 });
    const err = await http.json({ path: '/api/v9/me', query: { page: 2 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).message).toBe('GET /api/v9/me?page=2 failed after 3 attempts: answered 500; the answer: Internal Server Error');
    expect((err as HttpError).status).toBe(500);
    expect((err as HttpError).attempts).toBe(3);
    // base 1 s doubling, equal jitter with random() = 0.5: 0.75 × 1 s, 0.75 × 2 s
    expect(waits).toEqual([750, 1500]);
  });

  it('401 fails at once, without retrying, and the message never holds the token', async () => {
    const token = 'tok_secret_1234567890';
    registerSecret(token);
    server.load({ fixtures: [], expectAuthorization: 'Basic right' });
    const { http, waits } = recordingClient(server.url, { auth: headerAuth('authorization', `Basic ${token}`) });
    const err = (await http.json({ path: '/api/v9/me', query: { api_token: token } }).catch((e: unknown) => e)) as HttpError;
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/GET \/api\/v9\/me\?api_token=REDACTED answered 401 \(credentials refused; not retried\)/);
    expect(err.message).not.toContain(token);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('403 fails at once too', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/workspaces/1/projects' }, response: { status: 403, body: 'forbidden' } }] });
    const { http, waits } = recordingClient(server.url);
    await expect(http.json({ path: '/api/v9/workspaces/1/projects' })).rejects.toThrow('GET /api/v9/workspaces/1/projects answered 403 (credentials refused; not retried): "forbidden"');
    expect(waits).toEqual([]);
  });

  // Toggl's real 401 (go-api-libs/toggl, vcr/2024-12-09.yaml) has an empty body and
  // X-Authorization-Missing: true; the message read `answered 401 (…): ; <advice>`.
  it('an error with an empty body says so', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 401, text: '', headers: { 'x-authorization-missing': 'true' } } }] });
    const { http } = recordingClient(server.url, { auth: { headers: async () => ({}), advice: 'check TOGGL_API_TOKEN' } });
    await expect(http.json({ path: '/api/v9/me' })).rejects.toThrow('GET /api/v9/me answered 401 (credentials refused; not retried) with an empty body; check TOGGL_API_TOKEN');
  });

  it.each(['reset', 'truncate', 'malformed-json'] as const)('retries after a %s', async (fault) => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { body: { id: 7 } }, fault }, ok] });
    const { http, waits } = recordingClient(server.url);
    const res = await http.json<{ id: number }>({ path: '/api/v9/me' });
    expect(res.body.id).toBe(7);
    expect(res.attempts).toBe(2);
    expect(waits).toEqual([375]);
  });

  it('times out a slow response and retries', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { body: { id: 1 } }, fault: 'slow', delayMs: 3000 }, ok] });
    const { http } = recordingClient(server.url, { timeoutMs: 200 });
    const res = await http.json<{ id: number }>({ path: '/api/v9/me' });
    expect(res.body.id).toBe(7);
  });

  it('a wait longer than maxWaitMs fails with advice instead of hanging', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 429, headers: { 'retry-after': '3600' } } }] });
    const { http, waits } = recordingClient(server.url, { maxWaitMs: 60_000, service: 'Toggl' });
    await expect(http.json({ path: '/api/v9/me' })).rejects.toThrow('Toggl GET /api/v9/me: answered 429 (asked to wait 3600 s); the server asks to wait 3600 s, longer than the 60 s bronze waits; try again later');
    expect(waits).toEqual([]);
  });

  it('stops retrying at the overall deadline', async () => {
    let t = 0;
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 503, headers: { 'retry-after': '20' } }, times: 2 }] });
    const { http } = recordingClient(server.url, { now: () => t, totalTimeoutMs: 30_000, sleep: async (ms) => void (t += ms) });
    await expect(http.json({ path: '/api/v9/me' })).rejects.toThrow(/gave up at its overall deadline after 2 attempts: answered 503/);
  });

  it('cancellation through the signal stops waiting at once', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me' }, response: { status: 429, headers: { 'retry-after': '30' } } }] });
    const ac = new AbortController();
    const { http } = recordingClient(server.url, { signal: ac.signal, sleep: undefined, onWait: () => ac.abort(new Error('stopped by the user')) });
    await expect(http.json({ path: '/api/v9/me' })).rejects.toThrow('stopped by the user');
  });

  it('fills the api_* facts: endpoint without secrets, status, request id, rate-limit headers, version', async () => {
    server.load({
      fixtures: [{ request: { path: '/api/v9/me', query: { key: '*', since: '5' } }, response: { body: {}, headers: { 'x-toggl-request-id': 'abc', 'x-ratelimit-remaining': '9', 'x-toggl-quota-remaining': '29' } } }],
    });
    const { http } = recordingClient(server.url);
    const res = await http.json({ path: 'api/v9/me', query: { key: 's3cr3t-value', since: 5 } });
    expect(res.api).toEqual({
      endpoint: '/api/v9/me?key=REDACTED&since=5',
      status: 200,
      requestId: 'abc',
      version: 'v9',
      rateLimit: { 'x-ratelimit-remaining': '9', 'x-toggl-quota-remaining': '29' },
    });
  });
});
