import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { compileValidator, ensureSourceTable, toBronzeRow, Type, type Stream } from '../src/index.js';
import { BatchLoader } from '../src/loader/load-batch.js';
import { OccurrenceNumbering } from '../src/loader/occurrences.js';
import { Batcher } from '../src/ingest/batcher.js';
import type { Session } from '../src/db/session.js';

const streams = ['steps', 'beats'].map(
  (name): Stream<{ id: string; i: number }> => ({ name, schema: Type.Object({ id: Type.String() }), id: (r) => r.id }),
);
const prepared = new Map(streams.map((s) => [s.name, { stream: s, validate: compileValidator(s.schema) }]));
const file = { path: '/x/ahead.json', sha256: 'a'.repeat(64), size: 1 };

/**
 * 2,000 rows of two streams: most ids new, ~30% repeated within and across batches, and one id
 * in every 10th row, so that counting any batch out of its order numbers that id wrong.
 */
function fileRows() {
  let x = 11;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: 2000 }, (_, i) => {
    const stream = next() < 0.5 ? 'steps' : 'beats';
    const id = next() < 0.3 ? `r${Math.floor(next() * 60)}` : `u${i}`;
    return toBronzeRow(prepared.get(stream)!, { id: i % 10 === 0 ? 'every' : id, i }, file);
  });
}

const countTables = (s: Session) =>
  s.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'bronze_occurrence_counts' AND relpersistence = 't'`);

describeEachEngine("a large file's id counts, ahead of the batch in flight", (db, engine) => {
  it('numbers every id as one pass in memory would, the count table on a connection of its own on PostgreSQL, given back with the file', async () => {
    const expected = fileRows();
    await new OccurrenceNumbering('memory').number(undefined, expected);
    expect(new Set(expected.map((r) => `${r.stream}/${r.rawId}`)).size).toBe(2000);
    expect(expected.filter((r) => r.rawId.includes('#')).length).toBeGreaterThan(300);

    await db().withSession(async (s) => {
      await ensureSourceTable(s, 'ahead');
      const [{ id: runId }] = await s.query<{ id: string }>(`INSERT INTO bronze_runs (source) VALUES ('ahead') RETURNING id`);
      const [{ id: fileId }] = await s.query<{ id: string }>(
        `INSERT INTO bronze_files (source, sha256, path, size, status, run_id) VALUES ('ahead', $1, $2, 1, 'importing', $3) RETURNING id`,
        [file.sha256, file.path, runId],
      );
      // As run-source gives it: a second connection on PostgreSQL only.
      const spare = engine === 'postgres' ? <T>(fn: (x: Session) => Promise<T>) => db().withSession(fn) : undefined;
      const constants = { source: 'ahead', runId, environment: 'test', pipelineVersion: 't', parametersJson: '{}', lineageType: 'file' as const };
      // 25 ids in memory, the rest in the table: nearly every batch of 20 goes to it.
      const loader = new BatchLoader(s, constants, spare, 25);
      await loader.startFile();
      const batcher = new Batcher(loader, 20, fileId);
      const rows = fileRows();
      for (const [i, r] of rows.entries()) {
        await batcher.add(r);
        if (i !== 1000) continue;
        // Halfway: on PostgreSQL the table lives on another connection.
        const [here] = await s.query<{ here: boolean }>(`SELECT to_regclass('pg_temp.bronze_occurrence_counts') IS NOT NULL AS here`);
        expect(here.here).toBe(engine === 'pglite');
        expect(await countTables(s)).toEqual([{ n: 1 }]);
      }
      expect(await batcher.finish()).toMatchObject({ inserted: 2000 });
      // 100 batches, each counted as it was handed over on PostgreSQL, in its load on PGlite.
      expect(loader.batchesCountedAhead).toBe(engine === 'postgres' ? 100 : 0);
      // The file is done: on PostgreSQL its count table went back with its connection.
      expect(await countTables(s)).toEqual([{ n: engine === 'postgres' ? 0 : 1 }]);
      await loader.close();
    });

    const stored = await db().withSession((s) => s.query<{ id: string }>(`SELECT stream || '/' || raw_id AS id FROM bronze_ahead`));
    expect(stored.map((r) => r.id).sort()).toEqual(expected.map((r) => `${r.stream}/${r.rawId}`).sort());
  });

  it('fails the load with a message naming the second connection when none can be had, and stores nothing of that batch', async () => {
    await db().withSession(async (s) => {
      await ensureSourceTable(s, 'nolease');
      const [{ id: runId }] = await s.query<{ id: string }>(`INSERT INTO bronze_runs (source) VALUES ('nolease') RETURNING id`);
      const [{ id: fileId }] = await s.query<{ id: string }>(
        `INSERT INTO bronze_files (source, sha256, path, size, status, run_id) VALUES ('nolease', $1, $2, 1, 'importing', $3) RETURNING id`,
        [file.sha256, file.path, runId],
      );
      const busyPool = () => Promise.reject(new Error('timeout exceeded when trying to connect'));
      const constants = { source: 'nolease', runId, environment: 'test', pipelineVersion: 't', parametersJson: '{}', lineageType: 'file' as const };
      const loader = new BatchLoader(s, constants, busyPool, 25);
      await loader.startFile();
      const batcher = new Batcher(loader, 20, fileId);
      const adding = (async () => {
        for (const r of fileRows()) await batcher.add(r);
        await batcher.finish();
      })();
      await expect(adding).rejects.toThrow(/more than 25 distinct ids counts the rest on a second database connection, which could not be opened: timeout exceeded/);
      await loader.close();
      // The batches before the one that needed the table are committed; that one is not.
      const [{ n }] = await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_nolease`);
      expect(n % 20).toBe(0);
      expect(n).toBeLessThan(2000);
    });
  });
});
