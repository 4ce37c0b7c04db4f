import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authCommand } from '../src/commands/auth.js';
import { main } from '../src/main.js';
import { loadSettings } from '@bronze/core';
// The simulated Strava token endpoint (a real HTTP server) of the Strava source's tests.
import { startStravaSim, type StravaSim } from '../../../packages/source-strava/test/helpers/strava-api.js';

let sim: StravaSim;
let root: string;
const saved = { ...process.env };
beforeAll(async () => {
  sim = await startStravaSim([]);
});
afterAll(async () => {
  process.env = saved;
  await sim.close();
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bronze-auth-'));
  process.env = { ...saved, BRONZE_HOME: root, STRAVA_CLIENT_ID: 'client-1', STRAVA_CLIENT_SECRET: 'client-secret-xyz', STRAVA_BASE_URL: sim.baseUrl };
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  let onOut: (() => void) | undefined;
  return {
    io: { out: (l: string) => (out.push(l), onOut?.()), err: (l: string) => err.push(l), tty: false },
    out,
    err,
    /** The authorize URL, once printed. */
    url: () => new Promise<URL>((ok) => {
      const find = () => out.map((l) => l.match(/https?:\/\/\S+oauth\/authorize\S*/)?.[0]).find(Boolean);
      const f = find();
      if (f) return ok(new URL(f));
      onOut = () => void (find() && ok(new URL(find()!)));
    }),
  };
}

const tokenFile = () => join(root, 'configs', 'credentials', 'strava.json');

describe('bronze auth strava', () => {
  it('prints the authorize URL (read,activity:read_all, approval_prompt=auto) and takes the code from the 127.0.0.1 redirect', async () => {
    const c = capture();
    const done = authCommand(new PassThrough())(['strava', '--port', '18765'], c.io, loadSettings({ env: process.env }));
    const url = await c.url();
    expect(`${url.origin}${url.pathname}`).toBe(`${sim.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: 'client-1', response_type: 'code', scope: 'read,activity:read_all', approval_prompt: 'auto', redirect_uri: 'http://127.0.0.1:18765/callback' });
    const browser = await fetch(`http://127.0.0.1:18765/callback?state=${url.searchParams.get('state')}&code=${sim.code}&scope=read,activity:read_all`);
    expect(browser.status).toBe(200);
    expect(await done).toBe(0);
    const tokens = JSON.parse(readFileSync(tokenFile(), 'utf8'));
    expect(tokens.refresh_token).toBe(sim.token.refresh);
    expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
    expect(c.out.at(-1)).toBe(`strava: signed in; tokens saved to ${tokenFile()} (mode 0600). Runs renew them from now on: pnpm bronze ingest strava`);
    const exchange = sim.requests.filter((r) => r.path === '/oauth/token');
    expect(exchange).toHaveLength(1);
    for (const secret of ['client-secret-xyz', sim.code, tokens.access_token, tokens.refresh_token]) expect(c.out.join('\n')).not.toContain(secret);
  });

  it('takes the whole redirect URL pasted on stdin', async () => {
    const c = capture();
    const stdin = new PassThrough();
    const done = authCommand(stdin)(['strava', '--port', '18766'], c.io, loadSettings({ env: process.env }));
    const url = await c.url();
    stdin.write(`\nhttp://127.0.0.1:18766/callback?state=${url.searchParams.get('state')}&code=${sim.code}&scope=read,activity:read_all\n`);
    expect(await done).toBe(0);
    expect(JSON.parse(readFileSync(tokenFile(), 'utf8')).access_token).toBe(sim.token.access);
    expect(c.err).toEqual([]);
  });

  it('warns when activity:read_all was unticked (private activities would be missing)', async () => {
    const c = capture();
    const done = authCommand(new PassThrough())(['strava', '--port', '18769'], c.io, loadSettings({ env: process.env }));
    const url = await c.url();
    await fetch(`http://127.0.0.1:18769/callback?state=${url.searchParams.get('state')}&code=${sim.code}&scope=read`);
    expect(await done).toBe(0);
    expect(c.err).toEqual(['warning: strava granted without activity:read_all (a box was unticked on the authorize page): what needs it is not read; run the command again to grant it']);
  });

  it('a pasted URL of another sign-in (state differs) is refused, nothing written', async () => {
    const c = capture();
    const stdin = new PassThrough();
    const done = authCommand(stdin)(['strava', '--port', '18767'], c.io, loadSettings({ env: process.env }));
    await c.url();
    stdin.write(`http://127.0.0.1:18767/callback?state=forged&code=${sim.code}\n`);
    await expect(done).rejects.toThrow('the pasted URL is not the answer to this sign-in (its state differs); start again');
    expect(() => statSync(tokenFile())).toThrow();
  });

  it('a used or expired code: one line, exit 2, through the real command table', async () => {
    const c = capture();
    const done = main(['auth', 'strava', '--port', '18768'], c.io).catch((e) => e);
    // main() reads process.stdin: this case pastes nothing and answers through the listener instead.
    const url = await c.url();
    await fetch(`http://127.0.0.1:18768/callback?state=${url.searchParams.get('state')}&code=used-code`);
    expect(await done).toBe(2);
    expect(c.err.join('\n')).toContain('strava: the service refused the authorization code (400); codes are single-use and expire within minutes: run the command again');
  });

  it('without STRAVA_CLIENT_ID the command says what to set', async () => {
    delete process.env.STRAVA_CLIENT_ID;
    const c = capture();
    await expect(authCommand(new PassThrough())(['strava'], c.io, loadSettings({ env: process.env }))).rejects.toThrow(/STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET/);
  });
});

// The same simulated Strava (no grant it knows of): a stored refresh token is refused.
it('bronze ingest strava with a revoked app: one line naming the re-auth command, exit 1', async () => {
  const tokenFile = join(root, 'strava.json');
  writeFileSync(tokenFile, JSON.stringify({ access_token: 'access-old', refresh_token: 'refresh-old', expires_at: 1 }), { mode: 0o600 });
  process.env = { ...saved, BRONZE_HOME: root, DATABASE_URL: '', PG_HOST: '', STRAVA_CLIENT_ID: 'client-1', STRAVA_CLIENT_SECRET: 'client-secret-xyz', STRAVA_BASE_URL: sim.baseUrl, STRAVA_TOKEN_FILE: tokenFile, LOG_LEVEL: 'error' };
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['ingest', 'strava'], { out: (l) => out.push(l), err: (l) => err.push(l), tty: false });
  expect(code).toBe(1);
  const lines = err.join('\n').split('\n').filter((l) => l.trim() && !l.startsWith('{'));
  expect(lines).toEqual(['error: strava: the service refused to renew the access token (400 at /oauth/token): the refresh token was revoked or has expired; sign in again: pnpm bronze auth strava']);
  expect(err.join('\n')).not.toContain('client-secret-xyz');
}, 300_000);
