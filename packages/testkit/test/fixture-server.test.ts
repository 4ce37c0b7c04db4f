import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startFixtureServer, type FixtureServer } from '../src/fixture-server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describe('fixture server', () => {
  it('answers in order, then fails verify() on an unmatched request', async () => {
    server.load({ fixtures: [{ request: { path: '/a' }, response: { status: 503 } }, { request: { path: '/a' }, response: { body: { ok: true } } }] });
    expect((await fetch(`${server.url}/a`)).status).toBe(503);
    expect(await (await fetch(`${server.url}/a`)).json()).toEqual({ ok: true });
    expect(() => server.verify()).not.toThrow();
    const extra = await fetch(`${server.url}/a?x=1`);
    expect(extra.status).toBe(404);
    expect(() => server.verify()).toThrow('fixture server: requests that matched no fixture: GET /a?x=1');
  });

  it('fails verify() on an unused fixture', () => {
    server.load({ fixtures: [{ name: 'never asked', request: { path: '/b' }, response: {} }] });
    expect(() => server.verify()).toThrow('fixture never asked was used 0 of 1 times');
  });

  it('matches query values exactly, by "*" or by regex', async () => {
    server.load({ fixtures: [{ request: { path: '/q', query: { a: '1', b: '*', c: { regex: '^\\d+$' } } }, response: { body: 1 }, times: 'always' }] });
    expect((await fetch(`${server.url}/q?a=1&b=zz&c=42`)).status).toBe(200);
    expect((await fetch(`${server.url}/q?a=1&b=zz&c=4x`)).status).toBe(404);
  });

  it('answers 401 to a wrong Authorization header', async () => {
    server.load({ fixtures: [], expectAuthorization: 'Basic good' });
    const res = await fetch(`${server.url}/me`, { headers: { authorization: 'Basic bad' } });
    expect(res.status).toBe(401);
    expect(server.requests[0].answeredBy).toBe('unauthorized');
  });

  it('injects a reset and a truncated body as real network failures', async () => {
    server.load({ fixtures: [{ request: { path: '/r' }, fault: 'reset' }, { request: { path: '/t' }, response: { body: { long: 'x'.repeat(100) } }, fault: 'truncate' }] });
    await expect(fetch(`${server.url}/r`)).rejects.toThrow(/fetch failed/);
    const truncated = await fetch(`${server.url}/t`);
    await expect(truncated.text()).rejects.toThrow();
    server.verify();
  });

  it('loads scenario files with bodies from files beside them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    writeFileSync(join(dir, 'me.json'), '{"id": 7}');
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify({ fixtures: [{ request: { path: '/me' }, response: { bodyFile: 'me.json' } }] }));
    expect(loadScenario(join(dir, 'scenario.json')).fixtures[0].response?.body).toEqual({ id: 7 });
  });
});
