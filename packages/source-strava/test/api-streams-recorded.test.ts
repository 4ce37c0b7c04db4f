import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOneEngine, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { apiEnv, runApi, signedIn } from './helpers/api-run.js';

// A streams response Strava really sent (test/fixtures/README.md: strava-ruby-client's VCR
// recording of GET /segment_efforts/{id}/streams?key_by_type=true, the same StreamSet model
// as an activity's streams), served byte for byte as each activity's streams, with the
// rate-limit headers of that recording.
const API = join(import.meta.dirname, 'fixtures', 'api');
const RECORDED = readFileSync(join(API, 'strava-ruby-client_segment-effort-streams.json'), 'utf8');
const RECORDED_HEADERS = { 'x-ratelimit-limit': '200,2000', 'x-ratelimit-usage': '12,236', 'x-readratelimit-limit': '100,1000', 'x-readratelimit-usage': '12,235' };
// Counted on the text, not through a JSON parser: the samples are the commas of the one array, plus one.
const SAMPLES = RECORDED.slice(RECORDED.indexOf('[') + 1, RECORDED.indexOf(']')).split(',').length;
const listed: { id: number; start_date: string }[] = JSON.parse(readFileSync(join(API, 'activities.json'), 'utf8'));
const ascending = [...listed].sort((a, b) => a.start_date.localeCompare(b.start_date));

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describeOneEngine('strava API: a recorded streams response', (db) => {
  it('each activity stores the recorded StreamSet whole: one row per activity, every sample, numbers as written', async () => {
    expect(SAMPLES).toBe(117); // also counted by hand on the recording (its original_size says 117)
    server.load({
      expectAuthorization: 'Bearer access-0',
      fixtures: [
        { name: 'listing', request: { path: '/api/v3/athlete/activities', anyQuery: true }, response: { body: ascending, headers: RECORDED_HEADERS }, times: 'always' },
        ...ascending.map((a) => ({
          name: `streams of ${a.id}`,
          request: { path: `/api/v3/activities/${a.id}/streams`, query: { key_by_type: 'true', keys: '*' } },
          response: { text: RECORDED, headers: { 'content-type': 'application/json; charset=utf-8', ...RECORDED_HEADERS } },
        })),
      ],
    });
    const sim = { baseUrl: `${server.url}/api/v3`, token: { access: 'access-0', refresh: 'refresh-0', expiresAt: 4_102_444_800 } };
    const s = signedIn(sim as never);
    const { result, error } = await runApi(db(), apiEnv(sim as never, s.tokenFile, s.root), { streams: ['activity_streams'] });
    expect(result?.status, error?.message ?? result?.errors.join('; ')).toBe('succeeded');
    server.verify();

    const rows = await db().withSession((q) =>
      q.query<{ raw_id: string; validation_status: string; samples: number; original_size: string; second: string; last: string; keys: string[] }>(
        `SELECT raw_id, validation_status, jsonb_array_length(raw_data->'distance'->'data') AS samples,
                raw_data->'distance'->>'original_size' AS original_size,
                raw_data->'distance'->'data'->>1 AS second, raw_data->'distance'->'data'->>116 AS last,
                ARRAY(SELECT jsonb_object_keys(raw_data) ORDER BY 1) AS keys
           FROM bronze_strava WHERE stream = 'activity_streams' ORDER BY raw_id`,
      ),
    );
    expect(rows.map((r) => r.raw_id)).toEqual(ascending.map((a) => String(a.id)).sort());
    for (const r of rows) {
      expect(r).toMatchObject({ validation_status: 'valid', samples: SAMPLES, original_size: String(SAMPLES), keys: ['distance'] });
      expect([r.second, r.last], 'jsonb keeps 352.0 as written').toEqual(['352.0', '746.9']);
    }
  });
});
