import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { startStravaSim, type StravaSim } from '../../../packages/source-strava/test/helpers/strava-api.js';

let sim: StravaSim;
const saved = { ...process.env };
beforeAll(async () => {
  sim = await startStravaSim([]);
});
afterAll(async () => {
  process.env = saved;
  await sim.close();
});

it('bronze ingest strava with a revoked app: one line naming the re-auth command, exit 1', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bronze-revoked-'));
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
