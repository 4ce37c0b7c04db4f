import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, startFixtureServer, type Fixture, type FixtureServer, type TestDatabase } from '@bronze/testkit';
import { apiEnv, cursorOf, runApi, signedIn } from './helpers/api-run.js';

// Bodies Strava's API really sent (test/fixtures/README.md, "Recorded API responses"):
// strava-ruby-client's VCR recordings of one athlete, served byte for byte (the fixture
// server's `text`: the simulator in helpers/strava-api.ts re-serialises its bodies, which
// would no longer be what Strava sent) with the rate-limit headers of each recording.
const DIR = join(import.meta.dirname, 'fixtures', 'api', 'recorded');
const text = (name: string) => readFileSync(join(DIR, name), 'utf8');
const ATHLETE = text('athlete.json');
// GET /athlete/activities?after=1541088000&before=1543683600 (November 2018), as recorded.
const LISTING = text('activities-after-before.json');
const DETAILS: Record<string, string> = { '1946417534': text('activity-1946417534.json') };
const STREAMS: Record<string, string> = { '1946417534': text('activity-1946417534-streams.json') };
const GEAR: Record<string, string> = { g3423618: text('gear-g3423618.json') };
const AFTER = 1541088000;
const BEFORE = 1543683600;

// Counted here, on the recorded texts (JSON.parse, not the source's parser): what must be stored.
const listed: { id: number; gear_id?: string | null }[] = JSON.parse(LISTING);
const athlete: { id: number; bikes?: { id: string }[]; shoes?: { id: string }[] } = JSON.parse(ATHLETE);
const listedIds = listed.map((a) => String(a.id));
const gearAsked = [...new Set([...(athlete.bikes ?? []), ...(athlete.shoes ?? [])].map((g) => g.id).concat(listed.map((a) => a.gear_id ?? '').filter(Boolean)))];

const headers = (usage: string) => ({ 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '200,2000', 'x-ratelimit-usage': usage, 'x-readratelimit-limit': '100,1000', 'x-readratelimit-usage': usage });
// strava-ruby-client's not_found_error.yml: Strava's real 404 has an empty body. What has no
// recording (the details and streams of the six other activities, five of the athlete's shoes)
// is answered so: the source stores nothing for it, which the counts below expect.
const notFound = { status: 404, text: '', headers: { 'content-type': 'application/json; charset=utf-8' } };
const one = (name: string, path: string, body: string | undefined, query?: Fixture['request']['query']): Fixture => ({
  name,
  request: { path, ...(query ? { query } : {}) },
  response: body === undefined ? notFound : { text: body, headers: headers('9,152') },
});

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

/** The stream's rows, and how many equal (jsonb `=`, numbers by value) the element of the recorded text with their raw_id. */
async function stored(db: TestDatabase, stream: string, body: string, elements: 'array' | 'object') {
  const [r] = await db.withSession((q) =>
    q.query<{ rows: number; exact: number; ids: string[] }>(
      `SELECT count(*)::int AS rows,
              count(*) FILTER (WHERE b.raw_data = (SELECT e FROM jsonb_array_elements(CASE WHEN $3 = 'array' THEN $2::jsonb ELSE jsonb_build_array($2::jsonb) END) e WHERE e->>'id' = b.raw_id))::int AS exact,
              coalesce(array_agg(b.raw_id ORDER BY b.raw_id), '{}') AS ids
         FROM bronze_strava b WHERE b.stream = $1`,
      [stream, body, elements],
    ),
  );
  return r;
}

/** The recorded exchanges, the listing served for `listingQuery` (the three activity streams each list it). */
function recordedFixtures(listingQuery: Record<string, string>): Fixture[] {
  return [
    // /athlete: the athlete stream, then the gear stream (the bikes and shoes it names).
    { ...one('athlete', '/api/v3/athlete', ATHLETE), times: 2 },
    // Paged (a page shorter than per_page ends it).
    { ...one('listing', '/api/v3/athlete/activities', LISTING, { ...listingQuery, page: '1', per_page: '200' }), times: 3 },
    ...['activity_details', 'activity_streams'].flatMap((stream) =>
      listedIds.map((id) =>
        stream === 'activity_details'
          ? one(`detail ${id}`, `/api/v3/activities/${id}`, DETAILS[id], { include_all_efforts: 'true' })
          : one(`streams ${id}`, `/api/v3/activities/${id}/streams`, STREAMS[id], { key_by_type: 'true', keys: '*' }),
      ),
    ),
    ...gearAsked.map((id) => one(`gear ${id}`, `/api/v3/gear/${id}`, GEAR[id])),
  ];
}
const sim = { baseUrl: '', token: { access: 'access-0', refresh: 'refresh-0', expiresAt: 4_102_444_800 } };

describeEachEngine('strava API: recorded responses, end to end', (db) => {
  beforeAll(() => {
    sim.baseUrl = `${server.url}/api/v3`;
  });
  /** Each case starts from an empty bronze_strava and no saved cursor. */
  const forget = () => db().withSession(async (q) => {
    const [{ held }] = await q.query<{ held: boolean }>(`SELECT to_regclass('bronze_strava') IS NOT NULL AS held`);
    if (held) await q.query('TRUNCATE bronze_strava, bronze_strava_latest');
    await q.query(`DELETE FROM bronze_state WHERE source = 'strava'`);
  });

  it('a --since/--until run over the recorded November 2018 listing stores every recorded element unchanged', async () => {
    await forget();
    server.load({ expectAuthorization: 'Bearer access-0', fixtures: recordedFixtures({ after: String(AFTER), before: String(BEFORE) }) });
    const s = signedIn(sim as never);
    const { result, error } = await runApi(db(), apiEnv(sim as never, s.tokenFile, s.root), { since: new Date(AFTER * 1000), until: new Date(BEFORE * 1000) });
    expect(result?.status, error?.message ?? result?.errors.join('; ')).toBe('succeeded');

    expect(await stored(db(), 'athlete', ATHLETE, 'object')).toEqual({ rows: 1, exact: 1, ids: [String(athlete.id)] });
    const activities = await stored(db(), 'activities', LISTING, 'array');
    expect(activities).toEqual({ rows: listed.length, exact: listed.length, ids: [...listedIds].sort() });
    for (const [stream, bodies] of [['activity_details', DETAILS], ['activity_streams', STREAMS], ['gear', GEAR]] as const) {
      const expected = Object.keys(bodies).filter((id) => (stream === 'gear' ? gearAsked : listedIds).includes(id)).sort();
      expect(expected.length, `${stream}: a recorded body the run asks for`).toBeGreaterThan(0);
      const rows = await db().withSession((q) => q.query<{ raw_id: string; exact: boolean }>(`SELECT raw_id, raw_data = $2::jsonb AS exact FROM bronze_strava WHERE stream = $1 ORDER BY raw_id`, [stream, bodies[expected[0]]]));
      expect(rows.map((r) => r.raw_id), stream).toEqual(expected);
      expect(rows.every((r) => r.exact), `${stream}: raw_data = the recorded body`).toBe(true);
    }
    // The recorded streams body: every sample of its one array stored (counted on the text: its commas plus one).
    const body = STREAMS['1946417534'];
    const samples = body.slice(body.indexOf('[') + 1, body.indexOf(']')).split(',').length;
    const [n] = await db().withSession((q) => q.query<{ n: number }>(`SELECT jsonb_array_length(raw_data->'distance'->'data') AS n FROM bronze_strava WHERE stream = 'activity_streams'`));
    expect(n.n).toBe(samples);
    // Every request answered by a recording, every recording asked for.
    server.verify();
  });
  it('--until alone (a first run): Strava lists the range newest first; core hands it over oldest first and the cursor reaches the newest', async () => {
    await forget();
    // The same recorded answer, as Strava sends it for after=0&before=…: an account whose
    // history before --until is this November. Its order is the recording's, newest first.
    const times = listed.map((a) => Date.parse((a as unknown as { start_date: string }).start_date));
    expect(times.every((t, i) => i === 0 || t < times[i - 1]), 'the recorded listing is newest first').toBe(true);
    server.load({ expectAuthorization: 'Bearer access-0', fixtures: recordedFixtures({ after: '0', before: String(BEFORE) }) });
    const s = signedIn(sim as never);
    const { result, error } = await runApi(db(), apiEnv(sim as never, s.tokenFile, s.root), { until: new Date(BEFORE * 1000) });
    expect(result?.status, error?.message ?? result?.errors.join('; ')).toBe('succeeded');
    expect(await stored(db(), 'activities', LISTING, 'array')).toEqual({ rows: listed.length, exact: listed.length, ids: [...listedIds].sort() });
    for (const stream of ['activities', 'activity_details', 'activity_streams']) expect(Date.parse((await cursorOf(db(), stream))?.cursor), stream).toBe(Math.max(...times));
    server.verify();
  });
});
