import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { ensureSourceTable, type Session } from '../src/index.js';
import { migrations } from '../src/db/migrations.generated.js';

const SILVER_INDEXES = migrations.find((m) => m.name === '010_silver_read_indexes.sql')!;

/** Definitions of a table's two reshaped indexes, the table name blanked. */
const shapes = (s: Session, table: string) =>
  s
    .query<{ def: string }>(
      `SELECT replace(pg_get_indexdef(to_regclass(name)), $1, 'T') AS def FROM unnest($2::text[]) AS name ORDER BY 1`,
      [table, [`${table}_source_timestamp_idx`, `${table}_stream_raw_id_idx`]],
    )
    .then((r) => r.map((x) => x.def));

const NEW_SHAPES = [
  'CREATE INDEX T_source_timestamp_idx ON ONLY public.T USING btree (source_timestamp, stream) INCLUDE (partition_key)',
  'CREATE INDEX T_stream_raw_id_idx ON ONLY public.T USING btree (stream, raw_id, version DESC)',
];

describeEachEngine('010_silver_read_indexes: the silver layer reads latest versions and daily counts from indexes', (db) => {
  it('a new source table gets the new shapes; a table of an earlier version is rebuilt, every partition included', async () => {
    await db().withSession(async (s) => {
      await ensureSourceTable(s, 'silver_new');
      expect(await shapes(s, 'bronze_silver_new')).toEqual(NEW_SHAPES);

      // A table as 0.1 made it: the two indexes in their old shapes, with a month partition.
      await ensureSourceTable(s, 'silver_old');
      await s.query(`SELECT bronze_ensure_month_partition('bronze_silver_old', '2024-03-01')`);
      await s.exec(`DROP INDEX bronze_silver_old_source_timestamp_idx; DROP INDEX bronze_silver_old_stream_raw_id_idx;
        CREATE INDEX bronze_silver_old_source_timestamp_idx ON bronze_silver_old (source_timestamp);
        CREATE INDEX bronze_silver_old_stream_raw_id_idx ON bronze_silver_old (stream, raw_id, version);`);
      expect(await shapes(s, 'bronze_silver_old')).not.toEqual(NEW_SHAPES);
      await s.exec(SILVER_INDEXES.sql);
      expect(await shapes(s, 'bronze_silver_old')).toEqual(NEW_SHAPES);
      // Run twice (a re-applied upgrade): nothing changes, nothing fails.
      await s.exec(SILVER_INDEXES.sql);
      expect(await shapes(s, 'bronze_silver_old')).toEqual(NEW_SHAPES);
      const [{ partitions, valid }] = await s.query<{ partitions: number; valid: boolean }>(
        `SELECT count(*)::int AS partitions, bool_and(i.indisvalid) AS valid FROM pg_inherits h JOIN pg_index i ON i.indexrelid = h.inhrelid
          WHERE h.inhparent = ANY (ARRAY['bronze_silver_old_source_timestamp_idx'::regclass, 'bronze_silver_old_stream_raw_id_idx'::regclass])`,
      );
      // Two partitions (the month and the default) times two indexes.
      expect({ partitions, valid }).toEqual({ partitions: 4, valid: true });
    });
  });
});
