import { describe, expect, it } from 'vitest';
import { tableSnapshot, testEngines } from '@bronze/testkit';
import type { BronzeDatabase } from '@bronze/core';
import { bigJsonl, bronze, project, waitFor } from './process-helpers.js';

const N = 60_000;

/** Stage tables left, indexes that are not valid, and each partition's index definitions. */
async function shape(db: BronzeDatabase) {
  return db.withSession(async (s) => {
    const stages = await s.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE starts_with(relname, 'bronze_manual_bulk_')`);
    const [{ invalid }] = await s.query<{ invalid: number }>(
      `SELECT count(*)::int AS invalid FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE starts_with(c.relname, 'bronze_manual') AND NOT i.indisvalid`);
    const indexes = await s.query<{ def: string }>(
      `SELECT c.relname || ': ' || regexp_replace(pg_get_indexdef(i.indexrelid), 'INDEX \\S+ ON', 'INDEX ON') AS def
         FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid JOIN pg_index i ON i.indrelid = c.oid
        WHERE h.inhparent = 'bronze_manual'::regclass ORDER BY 1`);
    return { stages: stages.length, invalid, indexes: indexes.map((r) => r.def) };
  });
}

for (const engine of testEngines()) {
  describe(`bulk load of new months as a process [${engine}]`, () => {
    it('kill -9 while new months are staged, then a re-run: the table of one clean run, every index valid, no stage left', async () => {
      const clean = await project(engine);
      const killed = await project(engine);
      try {
        const file = await bigJsonl(clean.root, N);
        const args = ['ingest', 'manual', '--file', file, '--batch-size', '2000'];
        const one = bronze(args, { ...clean.env, BRONZE_BULK_MONTHS: 'off' });
        expect(await one.exit, one.stderr()).toBe(0);

        const victim = bronze(args, { ...killed.env, BRONZE_BULK_MONTHS: 'on', LOG_LEVEL: 'debug' });
        await waitFor(() => /"records":([1-9]\d{4})/.test(victim.stderr()) || victim.child.exitCode !== null, 'progress past 10,000 records');
        victim.child.kill('SIGKILL');
        await victim.exit;

        // The kill hit the bulk path: months staged, committed, not yet partitions.
        const mid = await killed.open();
        try {
          expect((await shape(mid)).stages).toBeGreaterThan(0);
          expect((await tableSnapshot(mid, 'manual')).length).toBeLessThan(N);
        } finally {
          await mid.close();
        }

        const again = bronze(args, { ...killed.env, BRONZE_BULK_MONTHS: 'on' });
        expect(await again.exit, again.stderr()).toBe(0);
        expect(again.stderr()).toMatch(/marked 1 earlier run\(s\) of manual as abandoned/);

        const a = await clean.open();
        const b = await killed.open();
        try {
          const snapA = await tableSnapshot(a, 'manual');
          expect(snapA.length).toBe(N);
          expect(await tableSnapshot(b, 'manual')).toEqual(snapA);
          const shapeA = await shape(a);
          const shapeB = await shape(b);
          expect(shapeB.stages).toBe(0);
          expect(shapeB.invalid).toBe(0);
          expect(shapeB.indexes.length).toBe((33 + 1) * 8); // 33 months and the default partition
          expect(shapeB.indexes).toEqual(shapeA.indexes);
          const runs = await b.withSession((s) => s.query<{ status: string; records_inserted: string }>('SELECT status, records_inserted FROM bronze_runs ORDER BY started_at'));
          expect(runs.map((r) => r.status)).toEqual(['abandoned', 'succeeded']);
          expect(runs.reduce((sum, r) => sum + Number(r.records_inserted), 0)).toBe(N);
        } finally {
          await a.close();
          await b.close();
        }
      } finally {
        await clean.drop();
        await killed.drop();
      }
    }, 900_000);
  });
}
