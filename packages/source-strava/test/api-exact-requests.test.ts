import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOneEngine, startFixtureServer, type Fixture, type FixtureServer } from '@bronze/testkit';
import { apiEnv, rowsOf, runApi, signedIn } from './helpers/api-run.js';

// The reference's own examples replayed by testkit's fixture server, which fails on any request
// that is not exactly one of these (path and every query parameter) and on any fixture unused.
const API = join(import.meta.dirname, 'fixtures', 'api');
const body = (name: string) => JSON.parse(readFileSync(join(API, name), 'utf8'));
const athlete = body('athlete.json');
const listed: { id: number; start_date: string }[] = body('activities.json');
// Strava lists an `after` query oldest first.
const ascending = [...listed].sort((a, b) => a.start_date.localeCompare(b.start_date));
const usage = { 'x-ratelimit-limit': '200,2000', 'x-ratelimit-usage': '12,140', 'x-readratelimit-limit': '100,1000', 'x-readratelimit-usage': '12,140' };
const keys = 'time,latlng,distance,altitude,velocity_smooth,heartrate,cadence,watts,temp,moving,grade_smooth';

const v3 = (path: string, response: unknown, query: Record<string, string> = {}, times = 1): Fixture => ({ request: { path: `/api/v3/${path}`, query }, response: { body: response, headers: usage }, times });
const scenario = (): Fixture[] => [
  v3('athlete', athlete, {}, 2),
  // the athlete's bikes and shoes, and the gear the activities name
  ...[...new Set([...athlete.bikes, ...athlete.shoes, ...listed].map((g: { id?: unknown; gear_id?: string }) => ('gear_id' in g ? g.gear_id : String(g.id))))].filter(Boolean).map((id) => v3(`gear/${id}`, { ...body('gear.json'), id })),
  v3('athlete/activities', ascending, { after: '0', page: '1', per_page: '200' }, 3),
  ...ascending.map((a) => v3(`activities/${a.id}`, { ...body('activity-detail.json'), id: a.id, start_date: a.start_date }, { include_all_efforts: 'true' })),
  ...ascending.map((a) => v3(`activities/${a.id}/streams`, body('streams-key-by-type.json'), { keys, key_by_type: 'true' })),
];

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describeOneEngine('strava API: the exact requests of a first run', (db) => {
  it('asks exactly the documented endpoints and parameters, once each, with the bearer token', async () => {
    server.load({ fixtures: scenario(), expectAuthorization: 'Bearer access-0' });
    const sim = { baseUrl: `${server.url}/api/v3`, token: { access: 'access-0', refresh: 'refresh-0', expiresAt: 4_102_444_800 } };
    const s = signedIn(sim as never);
    const { result } = await runApi(db(), apiEnv(sim as never, s.tokenFile, s.root));
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    server.verify();
    expect((await rowsOf(db(), 'activities')).map((r) => r.raw_id)).toEqual(listed.map((a) => String(a.id)).sort());
    expect((await rowsOf(db(), 'activity_details')).map((r) => r.raw_data.segment_efforts.length)).toEqual(ascending.map(() => body('activity-detail.json').segment_efforts.length));
  });

  it('an activity listed without a start_date is stored invalid, naming the field; the others and the cursor go on', async () => {
    const broken = { ...ascending[0], id: 42, start_date: undefined };
    server.load({ fixtures: [v3('athlete/activities', [broken, ...ascending], { after: '0', page: '1', per_page: '200' })], expectAuthorization: 'Bearer access-0' });
    const sim = { baseUrl: `${server.url}/api/v3`, token: { access: 'access-0', refresh: 'refresh-0', expiresAt: 4_102_444_800 } };
    const s = signedIn(sim as never);
    const { result } = await runApi(db(), apiEnv(sim as never, s.tokenFile, s.root), { streams: ['activities'], fullRefresh: true });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    server.verify();
    const rows = await db().withSession((q) => q.query<{ raw_id: string; validation_status: string; error_message: string | null }>(`SELECT raw_id, validation_status, error_message FROM bronze_strava WHERE stream = 'activities' AND raw_id = '42'`));
    expect(rows).toHaveLength(1);
    expect(rows[0].validation_status).toBe('invalid');
    expect(rows[0].error_message).toContain('start_date');
  });
});
