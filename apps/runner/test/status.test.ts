import { join } from 'node:path';
import { ingest, listRuns, silentLogger } from '@bronze/core';
import manual from '@bronze/source-manual';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { collectStatus, formatStatus } from '../src/commands/status.js';
import { FIXTURES } from './helpers.js';

describeEachEngine('bronze status', (db) => {
  it('shows never-run sources as one line, and rows, invalid and freshness per stream after a run', async () => {
    const before = await collectStatus(db());
    expect(before.find((r) => r.source === 'manual')).toMatchObject({ stream: null, rows: 0, last_run_status: null, freshness_seconds: null });
    expect(formatStatus(before, db())).toMatch(/^manual\s+-\s+0\s+0\s+never\s+never\s+never$/m);

    const r = await ingest(db(), manual, { files: [join(FIXTURES, 'weights.csv')], options: { idField: 'date' }, logger: silentLogger() });
    expect(r.status).toBe('succeeded');
    const after = await collectStatus(db());
    const row = after.find((x) => x.source === 'manual')!;
    expect(row).toMatchObject({ stream: 'weights', rows: 3, invalid: 0, last_run_status: 'succeeded' });
    expect(row.freshness_seconds).toBeGreaterThanOrEqual(0);
    const table = formatStatus(after, db());
    expect(table.split('\n')[1]).toMatch(/^source\s+stream\s+rows\s+invalid\s+last_run\s+last_success\s+freshness$/);
    expect(table).toMatch(/^manual\s+weights\s+3\s+0\s+succeeded \d{4}-\d\d-\d\dT[\d:]+Z\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+\d+s ago$/m);
    const json = JSON.parse(formatStatus(after, db(), true));
    expect(json.engine).toBe(db().engine);
    expect(json.streams.find((s: { source: string }) => s.source === 'manual')).toMatchObject({ stream: 'weights', rows: 3 });
  });

  it('lists runs with their counts as JSON numbers (bigint columns come back from pg as text)', async () => {
    const [run] = JSON.parse(JSON.stringify(await listRuns(db(), { source: 'manual', limit: 1 })));
    expect(run).toMatchObject({ source: 'manual', action: 'ingest', status: 'succeeded', records_seen: 3, records_inserted: 3, records_new_version: 0, records_unchanged: 0, records_invalid: 0 });
  });

  it('never says succeeded for a source whose last file import is incomplete', async () => {
    await db().withSession(async (s) => {
      const [{ id }] = await s.query<{ id: string }>(
        `INSERT INTO bronze_runs (source, status, finished_at) VALUES ('manual', 'succeeded', now() + interval '1 hour') RETURNING id`,
      );
      await s.query(`UPDATE bronze_runs SET started_at = now() + interval '1 hour' WHERE id = $1`, [id]);
      await s.query(`INSERT INTO bronze_files (source, sha256, path, size, status, run_id) VALUES ('manual', 'abc', '/x.csv', 1, 'interrupted', $1)`, [id]);
    });
    const row = (await collectStatus(db())).find((x) => x.source === 'manual')!;
    expect(row).toMatchObject({ last_run_status: 'incomplete', last_file_import: 'interrupted' });
    expect(formatStatus([row], db())).toMatch(/^manual\s+\S+\s+\d+\s+\d+\s+incomplete /m);
  });
});
