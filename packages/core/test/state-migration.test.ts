import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { migrations } from '../src/db/migrations.generated.js';

const CURSOR_KINDS = migrations.find((m) => m.name === '007_cursor_kinds.sql')!;

describeEachEngine('007_cursor_kinds: cursors written by 0.1 are read by the declarative kinds', (db) => {
  it('rewrites Toggl and Garmin cursors, and leaves new-shape and other rows alone', async () => {
    const rows: [string, string, unknown][] = [
      ['toggl', 'time_entries', { phase: 'incremental', since: 1717243200 }],
      ['garmin', 'activities', { startTimeGMT: '2024-06-01T07:30:00.000Z' }],
      ['garmin', 'activity_details', { startTimeGMT: '2024-05-01T07:30:00.000Z' }],
      ['garmin', 'sleep', { day: '2024-06-02' }],
      ['mig_other', 'items', { phase: 'incremental', since: 1 }],
    ];
    const backfill = ['toggl_b', 'time_entries', { phase: 'backfill', from: '2024-03-01T00:00:00.000Z', since: 1717243200 }] as const;
    await db().withSession(async (s) => {
      await s.query("DELETE FROM bronze_state WHERE source IN ('toggl', 'garmin', 'mig_other')");
      for (const [source, stream, cursor] of rows) await s.query('INSERT INTO bronze_state (source, stream, cursor) VALUES ($1, $2, $3::jsonb)', [source, stream, JSON.stringify(cursor)]);
      await s.exec(CURSOR_KINDS.sql);
      // The backfill shape, alone (one Toggl row per stream): rename it to toggl to rewrite it.
      await s.query("DELETE FROM bronze_state WHERE source = 'toggl'");
      await s.query('INSERT INTO bronze_state (source, stream, cursor) VALUES ($1, $2, $3::jsonb)', ['toggl', backfill[1], JSON.stringify(backfill[2])]);
      const migratedIncremental = await s.query<{ cursor: unknown }>("SELECT cursor FROM bronze_state WHERE source = 'mig_other'");
      expect(migratedIncremental[0].cursor).toEqual({ phase: 'incremental', since: 1 });
      await s.exec(CURSOR_KINDS.sql);
    });
    const state = await db().withSession((s) => s.query<{ source: string; stream: string; cursor: unknown }>("SELECT source, stream, cursor FROM bronze_state WHERE source IN ('toggl', 'garmin') ORDER BY source, stream"));
    expect(state).toEqual([
      { source: 'garmin', stream: 'activities', cursor: { cursor: '2024-06-01T07:30:00.000Z' } },
      { source: 'garmin', stream: 'activity_details', cursor: { cursor: '2024-05-01T07:30:00.000Z' } },
      { source: 'garmin', stream: 'sleep', cursor: { day: '2024-06-02' } },
      { source: 'toggl', stream: 'time_entries', cursor: { backfill: { next: '2024-03-01T00:00:00.000Z', startedAt: '2024-06-01T12:00:00.000Z' } } },
    ]);
  });

  it('the incremental Toggl cursor becomes an ISO instant', async () => {
    await db().withSession(async (s) => {
      await s.query("DELETE FROM bronze_state WHERE source = 'toggl'");
      await s.query("INSERT INTO bronze_state (source, stream, cursor) VALUES ('toggl', 'time_entries', $1::jsonb)", [JSON.stringify({ phase: 'incremental', since: 1717243200 })]);
      await s.exec(CURSOR_KINDS.sql);
      const [row] = await s.query<{ cursor: unknown }>("SELECT cursor FROM bronze_state WHERE source = 'toggl'");
      expect(row.cursor).toEqual({ cursor: '2024-06-01T12:00:00.000Z' });
    });
  });
});
