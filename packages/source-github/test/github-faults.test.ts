import { BronzeError, ExitCode } from '@bronze/core';
import { countRows, createTestDatabase, describeOneEngine, startFixtureServer, tableSnapshot, type Fixture, type FixtureServer, type TestDatabase, ingestCapturingLogs } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import github from '../src/index.js';
import { commonHeaders, env, fixture, githubScenario } from './github-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...github, rateLimit: undefined };
const PRIMARY = { message: 'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID 0685:5DDC:10B68F9:25FA1BE:62D6354D and timestamp 2024-01-31 12:00:00 UTC.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api', status: '403' };
const SECONDARY = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0685:5DDC:10B68F9:25FA1BE:62D6354D.', documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits', status: '403' };
const waitsOf = (logs: string) => logs.split('\n').filter((l) => l.includes('"waiting ')).map((l) => JSON.parse(l).message as string);

describeOneEngine('github under rate limits and refusals', (db, engine) => {
  let clean: string[] = [];
  const fresh: TestDatabase[] = [];
  const freshDb = async () => {
    const d = await createTestDatabase(engine);
    fresh.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of fresh) await d.close();
  });

  it('a clean run, for comparison', async () => {
    server.load(githubScenario(server.url));
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    clean = await tableSnapshot(db(), 'github');
  });

  it('primary limit near its reset: the answer that spends it holds the next request until the reset; a 403 with Remaining 0 waits too; every record once', async () => {
    // The database first: X-RateLimit-Reset is an instant, a few seconds after the fixtures are made.
    const target = await freshDb();
    const spent: Fixture = { name: 'last request', request: { path: '/user' }, response: { body: fixture('user.json'), headers: { ...commonHeaders({ remaining: 0, resetInS: 3 }), etag: 'W/"u"' } } };
    const refused: Fixture = { name: '403 spent', request: { path: '/gists', anyQuery: true }, response: { status: 403, body: PRIMARY, headers: commonHeaders({ remaining: 0, resetInS: 1 }) } };
    server.load(githubScenario(server.url, { faults: [spent, refused] }));
    const { result, logs } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    server.verify();
    expect(await tableSnapshot(target, 'github')).toEqual(clean);
    const waits = waitsOf(logs);
    expect(waits, waits.join('\n')).toHaveLength(2);
    expect(waits[0]).toMatch(/^waiting [0-3]\.\d s before asking: github GET \/user\/repos\?.*: the rate limit is spent until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(X-RateLimit-Remaining: 0\)$/);
    expect(waits[1]).toMatch(/^waiting [0-1]\.\d s before retrying: github GET \/gists\?per_page=100: answered 403 \(asked to wait [01] s\) \(attempt 1 of 5\)$/);
    const answered = server.requests.map((r) => r.answeredBy);
    expect(answered.indexOf('gists page 1')).toBe(answered.indexOf('403 spent') + 1);
  });

  it('a secondary limit (403 with Retry-After) waits as asked, then the run completes', async () => {
    const secondary: Fixture = { name: 'secondary', request: { path: '/user/starred', anyQuery: true }, response: { status: 403, body: SECONDARY, headers: { ...commonHeaders(), 'retry-after': '1' } } };
    server.load(githubScenario(server.url, { faults: [secondary] }));
    const target = await freshDb();
    const { result, logs } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    server.verify();
    expect(await tableSnapshot(target, 'github')).toEqual(clean);
    expect(waitsOf(logs)).toEqual(['waiting 1.0 s before retrying: github GET /user/starred?sort=created&direction=desc&per_page=100: answered 403 (asked to wait 1 s) (attempt 1 of 5)']);
  });

  it('a primary limit resetting later than bronze waits stops cleanly: the streams read so far stay, the message says when to run again, the next run completes', async () => {
    const spent: Fixture = { name: 'spent for 40 min', request: { path: '/user/starred', anyQuery: true }, response: { body: fixture('starred.json'), headers: { ...commonHeaders({ remaining: 0, resetInS: 2400 }), etag: 'W/"s"' } } };
    server.load(githubScenario(server.url, { faults: [spent] }));
    const target = await freshDb();
    const { error } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(error).toBeInstanceOf(BronzeError);
    expect((error as BronzeError).exitCode).toBe(ExitCode.failure);
    expect(error?.message).toMatch(/^github GET \/users\/octocat\/events\?per_page=100: the API's rate limit is spent until (\S+Z) \(X-RateLimit-Remaining: 0\), 40 min from now, longer than the 900 s bronze waits; stopped with what was read so far committed: run again after \1$/);
    expect(server.requests.at(-1)?.path).toBe('/user/starred'); // nothing asked after the spending answer
    expect(await countRows(target, 'github', `stream IN ('user', 'repos', 'starred')`)).toBe(5);
    server.load(githubScenario(server.url));
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    expect(await tableSnapshot(target, 'github')).toEqual(clean);
  });

  it('a classic token without the notifications scope: one line naming the scope it lacks', async () => {
    const refused: Fixture = { name: 'no scope', request: { path: '/notifications', anyQuery: true }, response: { status: 403, body: { message: "Missing the 'notifications' scope.", documentation_url: 'https://docs.github.com/rest/activity/notifications#list-notifications-for-the-authenticated-user', status: '403' }, headers: { ...commonHeaders({ scopes: 'gist, read:user' }), 'x-accepted-oauth-scopes': 'notifications, repo' } } };
    server.load(githubScenario(server.url, { faults: [refused] }));
    const { error } = await ingestCapturingLogs(db(), fast, { env: env(server.url, { GITHUB_NOTIFICATIONS: 'on' }), streams: ['notifications'] });
    expect(error?.message).toBe(
      'github GET /notifications?all=true&per_page=100 answered 403 (credentials refused; not retried): {"message":"Missing the \'notifications\' scope.","documentation_url":"https://docs.github.com/rest/activity/notifications#list-notifications-for-the-authenticated-user","status":"403"}; the token lacks the scope "notifications" or "repo" (it has: gist, read:user): add it at https://github.com/settings/tokens',
    );
    expect(error?.message).not.toContain('\n');
    expect(server.requests).toHaveLength(1);
  });

  it('a fine-grained token without a permission: the permission GitHub names', async () => {
    const refused: Fixture = { name: 'no permission', request: { path: '/issues', anyQuery: true }, response: { status: 403, body: { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest/issues/issues#list-issues-assigned-to-the-authenticated-user', status: '403' }, headers: { ...commonHeaders(), 'x-oauth-scopes': '', 'x-accepted-github-permissions': 'issues=read' } } };
    const scenario = githubScenario(server.url, { faults: [refused] });
    server.load(scenario);
    const { error } = await ingestCapturingLogs(db(), fast, { env: env(server.url), streams: ['issues'] });
    expect(error?.message).toMatch(/answered 403 \(credentials refused; not retried\): .*; the fine-grained token lacks the permission "issues=read": add it at https:\/\/github.com\/settings\/personal-access-tokens$/);
  });

  it('a refused token (401) ends the run at once with advice, not retried', async () => {
    server.load({ ...githubScenario(server.url), expectAuthorization: 'Bearer somebody-else' });
    const { error } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(error?.message).toMatch(/^github GET \/user answered 401 \(credentials refused; not retried\).*; GitHub rejected the token \(expired or revoked\?\): create a token at https:\/\/github.com\/settings\/tokens/);
    expect(server.requests).toHaveLength(1);
  });
});
