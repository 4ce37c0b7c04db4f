import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { configureSource, createSourceContext, silentLogger } from '@bronze/core';
import { describeOneEngine } from '@bronze/testkit';
import strava from '../src/index.js';
import { ATHLETE, activitiesFrom, GEAR_IDS, startStravaSim, type StravaSim } from './helpers/strava-api.js';
import { apiEnv, CLIENT_SECRET, cursorOf, rowsOf, runApi, signedIn } from './helpers/api-run.js';

let sim: StravaSim;
const ACTIVITIES = activitiesFrom('2024-01-01T07:00:00Z', 7);
beforeAll(async () => {
  sim = await startStravaSim(ACTIVITIES.map((a) => ({ ...a })));
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.usage.fifteen = 0;
  sim.requests.length = 0;
});
const apiRequests = () => sim.requests.filter((r) => r.path.startsWith('/api/'));
const gearIds = GEAR_IDS;

describeOneEngine('strava API: runs against the simulated API', (db) => {
  const session = () => signedIn(sim);
  let env: NodeJS.ProcessEnv;

  it('a first run stores one row per athlete, gear, activity, detail and stream set; raw_id = the activity id', async () => {
    const s = session();
    env = apiEnv(sim, s.tokenFile, s.root);
    const { result } = await runApi(db(), env);
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    expect((await rowsOf(db(), 'athlete')).map((r) => r.raw_id)).toEqual([String(ATHLETE.id)]);
    expect((await rowsOf(db(), 'gear')).map((r) => r.raw_id).sort()).toEqual([...gearIds].sort());
    const ids = ACTIVITIES.map((a) => String(a.id)).sort();
    for (const stream of ['activities', 'activity_details', 'activity_streams']) expect((await rowsOf(db(), stream)).map((r) => r.raw_id)).toEqual(ids);
    const details = await rowsOf(db(), 'activity_details');
    expect(details[0].raw_data.resource_state).toBe(3);
    expect(Object.keys((await rowsOf(db(), 'activity_streams'))[0].raw_data).sort()).toEqual(['altitude', 'distance', 'heartrate', 'latlng', 'moving', 'time']);
    expect(result?.inserted).toBe(1 + gearIds.length + 3 * ACTIVITIES.length);
    expect(result?.notes).toContain(`activity_details: 7 of ~7 activities have details (through ${ACTIVITIES.at(-1)!.start_date.slice(0, 10)})`);
    expect(apiRequests().find((r) => r.path.endsWith('/streams'))?.query).toEqual({ keys: 'time,latlng,distance,altitude,velocity_smooth,heartrate,cadence,watts,temp,moving,grade_smooth', key_by_type: 'true' });
    expect(await cursorOf(db(), 'activities')).toMatchObject({ cursor: '2024-01-10T07:00:00.000Z', count: 7 });
  });

  it('a re-run with nothing new: one listing request per incremental stream, no detail asked again, 0 rows', async () => {
    const { result } = await runApi(db(), env);
    expect(result).toMatchObject({ status: 'succeeded', inserted: 0, newVersion: 0 });
    const listings = apiRequests().filter((r) => r.path === '/api/v3/athlete/activities');
    expect(listings).toHaveLength(3);
    // after = the cursor − 7 days, in epoch seconds
    expect(new Set(listings.map((r) => r.query.after))).toEqual(new Set([String(Date.parse('2024-01-03T07:00:00Z') / 1000)]));
    expect(apiRequests().filter((r) => /\/activities\/\d+/.test(r.path))).toEqual([]);
    // the snapshots: /athlete twice (athlete, gear) and each gear item
    expect(apiRequests()).toHaveLength(3 + 2 + gearIds.length);
  });

  it('an edit inside the overlap is a new version; only its detail is asked again; a new kudo asks nothing', async () => {
    const last = sim.activities.at(-1)!;
    last.name = 'Renamed';
    sim.activities[5].kudos_count = 4;
    const { result } = await runApi(db(), env);
    expect(result?.status).toBe('succeeded');
    expect(apiRequests().filter((r) => /\/activities\/\d+$/.test(r.path)).map((r) => r.path)).toEqual([`/api/v3/activities/${last.id}`]);
    expect(apiRequests().filter((r) => r.path.endsWith('/streams'))).toEqual([]);
    // New versions: the renamed summary and its detail, and the summary with the kudo (its detail is not asked again).
    expect(result).toMatchObject({ seen: 1 + gearIds.length + 3, newVersion: 3 });
    const kudoed = String(sim.activities[5].id);
    expect((await rowsOf(db(), 'activities')).filter((r) => r.raw_id === kudoed)).toHaveLength(2);
    expect((await rowsOf(db(), 'activity_details')).filter((r) => r.raw_id === kudoed)).toHaveLength(1);
    expect((await rowsOf(db(), 'activity_details')).filter((r) => r.raw_id === String(last.id)).map((r) => r.raw_data.name)).toEqual(['Activity 7', 'Renamed']);
  });

  it('an access token expiring mid-backfill is renewed once; the rotated refresh token is on disk, 0600, before the next request', async () => {
    sim.activities.push(...activitiesFrom('2024-02-01T07:00:00Z', 3).map((a) => ({ ...a, id: a.id + 100 })));
    const s = signedIn(sim);
    const tokens = () => JSON.parse(readFileSync(s.tokenFile, 'utf8'));
    const checks: string[] = [];
    // The token "expires" once the first detail has been asked: the clock jumps 7 hours.
    const t0 = Date.parse('2026-01-01T10:00:00Z');
    const sent = { detail: false };
    sim.onApiRequest = (r) => {
      if (/\/activities\/\d+$/.test(r.path)) sent.detail = true;
      if (r.authorization !== `Bearer ${sim.token.access}`) return;
      if (sim.token.refresh !== 'refresh-0' && sim.token.refresh !== tokens().refresh_token) checks.push(`${r.path} sent before ${sim.token.refresh} was on disk`);
    };
    writeExpiry(s.tokenFile, t0 / 1000 + 3600);
    const before = sim.token.refresh;
    const { result } = await runApi(db(), apiEnv(sim, s.tokenFile, s.root), { now: () => new Date(sent.detail ? t0 + 7 * 3_600_000 : t0) });
    sim.onApiRequest = undefined;
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    expect(sim.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(sim.token.refresh).not.toBe(before);
    expect(tokens().refresh_token).toBe(sim.token.refresh);
    expect(checks).toEqual([]);
    expect(statSync(s.tokenFile).mode & 0o777).toBe(0o600);
    expect(apiRequests().filter((r) => r.authorization === `Bearer ${sim.token.access}`).length).toBeGreaterThan(0);
    expect((await rowsOf(db(), 'activity_details')).length).toBe(sim.activities.length + 1);
  });

  it('secrets (client secret, access and refresh tokens) appear in no log, row, run or cursor', async () => {
    const s = signedIn(sim, 1);
    sim.activities.push(...activitiesFrom('2024-03-01T07:00:00Z', 1).map((a) => ({ ...a, id: a.id + 200 })));
    const { result, logs } = await runApi(db(), apiEnv(sim, s.tokenFile, s.root));
    expect(result?.status).toBe('succeeded');
    const stored = await db().withSession(async (q) => JSON.stringify([
      await q.query('SELECT * FROM bronze_strava'), await q.query('SELECT * FROM bronze_runs'), await q.query('SELECT * FROM bronze_state'),
    ]));
    const secrets = [CLIENT_SECRET, 'access-0', 'refresh-0', sim.token.access, sim.token.refresh];
    for (const secret of secrets) {
      expect(logs, secret).not.toContain(secret);
      expect(stored, secret).not.toContain(secret);
      expect(JSON.stringify(result), secret).not.toContain(secret);
    }
    expect(logs).toContain('access token renewed');
  });

  it('check: one GET /athlete names the signed-in athlete', async () => {
    const s = signedIn(sim);
    const e = apiEnv(sim, s.tokenFile, s.root);
    const config = configureSource(strava, e, {});
    const ctx = createSourceContext(strava, config, { logger: silentLogger(), signal: new AbortController().signal, root: s.root, env: e });
    expect(await strava.check!(config as never, ctx)).toBe(`signed in as Marianne Teutenberg (athlete ${ATHLETE.id})`);
    expect(apiRequests().map((r) => r.path)).toEqual(['/api/v3/athlete']);
  });

  it('a refused refresh (revoked app) fails with one line naming the exact re-auth command, exit 1', async () => {
    const s = signedIn(sim, 1);
    sim.refuseRefresh = true;
    const { result, error } = await runApi(db(), apiEnv(sim, s.tokenFile, s.root));
    sim.refuseRefresh = false;
    expect(result).toBeUndefined();
    expect(error?.message).toMatch(/^strava: the service refused to renew the access token \(400 at \/oauth\/token\): the refresh token was revoked or has expired; sign in again: pnpm bronze auth strava$/);
    expect(error?.message.split('\n')).toHaveLength(1);
    expect(error?.exitCode).toBe(1);
  });

  it('a revoked app with a still-valid access token: 401, one renewal refused, same line', async () => {
    const s = signedIn(sim);
    sim.token.access = 'access-revoked-elsewhere';
    sim.refuseRefresh = true;
    const { error } = await runApi(db(), apiEnv(sim, s.tokenFile, s.root));
    sim.refuseRefresh = false;
    expect(error?.message).toContain('sign in again: pnpm bronze auth strava');
    expect(error?.exitCode).toBe(1);
  });
});

function writeExpiry(file: string, expiresAt: number) {
  const t = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...t, expires_at: expiresAt }), { mode: 0o600 });
}
