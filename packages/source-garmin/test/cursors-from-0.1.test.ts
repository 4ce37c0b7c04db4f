import { readFileSync } from 'node:fs';
import { ingest } from '@bronze/core';
import { describeOneEngine, startFixtureServer, type Fixture, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import garmin from '../src/index.js';
import { capturingLogger, garminEnv, recorded, writeTokenFile } from './helpers/connect-api.js';

let server: FixtureServer;
let tokenFile: string;
beforeAll(async () => {
  server = await startFixtureServer();
  tokenFile = writeTokenFile();
});
afterAll(() => server.close());

// The migration as the repository ships it (core embeds the same text and applies it once).
const CURSOR_KINDS = { sql: readFileSync(new URL('../../../sql/007_cursor_kinds.sql', import.meta.url), 'utf8') };
const LIST = '/activitylist-service/activities/search/activities';

describeOneEngine('cursors written by bronze 0.1, after sql/007', (db) => {
  it('activities resume from {startTimeGMT} and day streams from {day}, minus the overlap', async () => {
    // bronze_state as 0.1 left it, then the numbered migration that rewrites its shapes.
    const old: [string, unknown][] = [
      ['activities', { startTimeGMT: '2026-01-08T14:10:21.000Z' }],
      ['activity_details', { startTimeGMT: '2026-01-08T14:10:21.000Z' }],
      ['daily_summaries', { day: '2025-06-14' }],
    ];
    await db().withSession(async (s) => {
      for (const [stream, cursor] of old) await s.query(`INSERT INTO bronze_state (source, stream, cursor) VALUES ('garmin', $1, $2::jsonb)`, [stream, JSON.stringify(cursor)]);
      await s.exec(CURSOR_KINDS.sql);
    });
    const listed = recorded('garth_test_activity_get.0').body;
    const summaryOn = (date: string): Fixture => ({ name: `summary ${date}`, request: { path: '/usersummary-service/usersummary/daily/', query: { calendarDate: date } }, response: { body: null } });
    server.load({
      fixtures: [
        // Only the request from the cursor's day minus GARMIN_OVERLAP_DAYS (3) is answered.
        { name: 'since cursor', request: { path: LIST, query: { startDate: '2026-01-05', limit: '100', start: '0' } }, response: { body: listed }, times: 2 },
        { name: 'detail', request: { path: `/activity-service/activity/${listed[0].activityId}` }, response: { body: { ...listed[0], summaryDTO: { startTimeGMT: '2026-01-08T14:10:21.0' } } } },
        ...['2025-06-11', '2025-06-12', '2025-06-13', '2025-06-14'].map(summaryOn),
      ],
    });
    const run = (streams: string[], until?: Date) => ingest(db(), garmin, { logger: capturingLogger().logger, env: garminEnv(server.url, tokenFile), streams, until });
    for (const r of [await run(['activities', 'activity_details']), await run(['daily_summaries'], new Date('2025-06-15T00:00:00Z'))]) {
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
    }
    server.verify();
    const state = await db().withSession((s) => s.query<{ stream: string; cursor: unknown }>(`SELECT stream, cursor FROM bronze_state WHERE source = 'garmin' ORDER BY stream`));
    expect(state).toEqual([
      { stream: 'activities', cursor: { cursor: '2026-01-08T14:10:21.000Z' } },
      { stream: 'activity_details', cursor: { cursor: '2026-01-08T14:10:21.000Z' } },
      { stream: 'daily_summaries', cursor: { day: '2025-06-14' } },
    ]);
  });
});
