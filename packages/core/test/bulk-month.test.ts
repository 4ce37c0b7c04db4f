import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine, tableSnapshot } from '@bronze/testkit';
import { ensureSourceTable, Type, toBronzeRow, compileValidator, type Session, type Stream } from '../src/index.js';
import { BatchLoader } from '../src/loader/load-batch.js';

const stream: Stream<{ id: number; at?: string; v?: unknown }> = {
  name: 'things',
  schema: Type.Object({ id: Type.Number(), v: Type.Optional(Type.Unknown()) }),
  id: (r) => String(r.id),
  timestamp: (r) => (r.at ? new Date(r.at) : undefined),
};
const prepared = { stream, validate: compileValidator(stream.schema) };
const rows = (records: unknown[]) => records.map((r) => toBronzeRow(prepared, r));
/** n records spread over the months of 2024, one per day. */
const year = (n: number, v = 'a') => Array.from({ length: n }, (_, i) => ({ id: i, v, at: new Date(Date.UTC(2024, 0, 1 + (i % 366))).toISOString() }));

/** Index definitions of a table's partitions, with the partition's own name blanked. */
const indexesOf = (s: Session, part: string) =>
  s
    .query<{ def: string; valid: boolean }>(
      `SELECT replace(pg_get_indexdef(i.indexrelid), $1, 'P') AS def, i.indisvalid AS valid
         FROM pg_index i WHERE i.indrelid = $1::regclass ORDER BY 1`,
      [part],
    )
    .then((r) => r.map((x) => `${x.valid ? 'valid' : 'INVALID'} ${x.def.replace(/INDEX \S+ ON/, 'INDEX ON')}`));

describeEachEngine('bulk path for new months (on unless BRONZE_BULK_MONTHS=off)', (db) => {
  beforeEach(() => {
    delete process.env.BRONZE_BULK_MONTHS;
  });
  let n = 0;
  async function newLoader(s: Session, source: string): Promise<BatchLoader> {
    await ensureSourceTable(s, source);
    const [{ id }] = await s.query<{ id: string }>(`INSERT INTO bronze_runs (source) VALUES ($1) RETURNING id`, [source]);
    // A spare session, as ingest gives one on PostgreSQL (on PGlite it shares the connection).
    return new BatchLoader(s, { source, runId: id, environment: 'test', pipelineVersion: 't', parametersJson: '{}', lineageType: 'api' }, (fn) => db().withSession(fn));
  }
  const stageTables = (s: Session, source: string) =>
    s.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE starts_with(relname, $1) ORDER BY 1`, [`bronze_${source}_bulk_`]).then((r) => r.map((x) => x.name));

  // A Ctrl-C ends the reading, then finishBulk builds and attaches every staged month. On PGlite
  // each statement runs synchronously: with only awaits between them, no timer or signal handler
  // ran until the last month (a second Ctrl-C was not heard for 5–9 s; the interruption hunt).
  it('gives the event loop a turn between the statements that attach staged months', async () => {
    const source = `bulk_${++n}`;
    await db().withSession(async (s) => {
      const loader = await newLoader(s, source);
      await loader.load({ rows: rows(year(400)), startedAt: new Date() });
      expect(await stageTables(s, source)).toHaveLength(12);
      let turns = 0;
      let ticking = true;
      const tick = () => {
        turns++;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const before = turns;
      await loader.finishBulk();
      ticking = false;
      // At least one turn per month attached (12), whatever the engine.
      expect(turns - before).toBeGreaterThanOrEqual(12);
      expect(await stageTables(s, source)).toEqual([]);
    });
  });

  it('stages rows of new months unindexed, then attaches them as fully indexed partitions equal to the normal path', async () => {
    const bulk = `bulk_${++n}`;
    const normal = `bulk_${++n}`;
    await db().withSession(async (s) => {
      const loader = await newLoader(s, bulk);
      expect(await loader.load({ rows: rows(year(2000)), startedAt: new Date() })).toMatchObject({ inserted: 2000 });
      // Staged: committed with _latest, not yet in the table; stage tables carry no index.
      expect(await stageTables(s, bulk)).toHaveLength(12);
      const [{ indexes }] = await s.query<{ indexes: number }>(`SELECT count(*)::int AS indexes FROM pg_index WHERE indrelid = $1::regclass`, [`bronze_${bulk}_bulk_2024_03`]);
      expect(indexes).toBe(0);
      const [{ latest }] = await s.query<{ latest: number }>(`SELECT count(*)::int AS latest FROM bronze_${bulk}_latest`);
      expect(latest).toBe(2000);
      // The same records again (another batch of the same read) are recognised while staged.
      expect(await loader.load({ rows: rows(year(2000)), startedAt: new Date() })).toMatchObject({ inserted: 0, unchanged: 2000 });
      await loader.finishBulk();
      expect(await stageTables(s, bulk)).toEqual([]);

      process.env.BRONZE_BULK_MONTHS = 'off';
      try {
        const plain = await newLoader(s, normal);
        await plain.load({ rows: rows(year(2000)), startedAt: new Date() });
        await plain.finishBulk();
      } finally {
        delete process.env.BRONZE_BULK_MONTHS;
      }
      for (const month of ['2024_01', '2024_06', '2024_12']) {
        const a = await indexesOf(s, `bronze_${bulk}_${month}`);
        expect(a.length).toBe(8);
        expect(a.every((d) => d.startsWith('valid '))).toBe(true);
        expect(a).toEqual((await indexesOf(s, `bronze_${normal}_${month}`)).map((d) => d.replaceAll(normal, bulk)));
      }
      const [{ invalid }] = await s.query<{ invalid: number }>(
        `SELECT count(*)::int AS invalid FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE starts_with(c.relname, $1) AND NOT i.indisvalid`, [`bronze_${bulk}`]);
      expect(invalid).toBe(0);
    });
    const snap = await tableSnapshot(db(), bulk);
    expect(snap.length).toBe(2000);
    expect(snap).toEqual(await tableSnapshot(db(), normal));
    // Partition pruning sees the attached month like any other.
    const [{ rows: inMarch }] = await db().withSession((s) =>
      s.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM bronze_${bulk} WHERE source_timestamp >= '2024-03-01Z' AND source_timestamp < '2024-04-01Z'`));
    expect(inMarch).toBe(year(2000).filter((r) => r.at.startsWith('2024-03')).length);
  });

  it('months that already have a partition take the normal path; new versions land by their own month', async () => {
    const source = `bulk_${++n}`;
    await db().withSession(async (s) => {
      const loader = await newLoader(s, source);
      await loader.load({ rows: rows(year(400)), startedAt: new Date() });
      await loader.finishBulk();
      const changed = year(400, 'b').map((r) => ({ ...r, at: r.at.replace('2024-', '2025-') }));
      expect(await loader.load({ rows: rows([...year(400), ...changed.slice(0, 10)]), startedAt: new Date() })).toMatchObject({ unchanged: 400, newVersion: 10 });
      // 2025-01 is new: staged; nothing for 2024 was staged again.
      expect(await stageTables(s, source)).toEqual([`bronze_${source}_bulk_2025_01`]);
      await loader.finishBulk();
    });
    const snap = await tableSnapshot(db(), source);
    expect(snap.length).toBe(410);
  });

  it('a loader that died with staged months leaves them to the next loader of the source, which attaches them first', async () => {
    const source = `bulk_${++n}`;
    await db().withSession(async (s) => {
      const dead = await newLoader(s, source);
      await dead.load({ rows: rows(year(300)), startedAt: new Date() });
      // No finishBulk: the process died here.
    });
    await db().withSession(async (s) => {
      expect((await stageTables(s, source)).length).toBeGreaterThan(0);
      const next = await newLoader(s, source);
      // The next run reads other months only: the dead run's months are attached first anyway.
      expect(await next.load({ rows: rows([{ id: 9999, at: '2025-06-01T00:00:00Z' }]), startedAt: new Date() })).toMatchObject({ inserted: 1 });
      expect(await stageTables(s, source)).toEqual([`bronze_${source}_bulk_2025_06`]);
      const [{ visible }] = await s.query<{ visible: number }>(`SELECT count(*)::int AS visible FROM bronze_${source}`);
      expect(visible).toBe(300);
      expect(await next.load({ rows: rows(year(366)), startedAt: new Date() })).toMatchObject({ inserted: 66, unchanged: 300 });
      await next.finishBulk();
      expect(await stageTables(s, source)).toEqual([]);
    });
    expect((await tableSnapshot(db(), source)).length).toBe(367);
  });

  it('a month whose rows sit in the default partition takes the normal path (the rows move with their ids)', async () => {
    const source = `bulk_${++n}`;
    await db().withSession(async (s) => {
      const loader = await newLoader(s, source);
      // Rows another tool put in the default partition before the month existed.
      await s.query(`INSERT INTO bronze_${source}_default (source, stream, raw_data, record_hash, raw_id, source_timestamp)
                     VALUES ($1, 'other', '{"a":1}', 'h', 'x', '2024-02-10Z')`, [source]);
      await loader.load({ rows: rows(year(60)), startedAt: new Date() });
      expect(await stageTables(s, source)).toEqual([`bronze_${source}_bulk_2024_01`]);
      await loader.finishBulk();
      const parts = await s.query<{ part: string; n: number }>(
        `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM bronze_${source} GROUP BY 1 ORDER BY 1`);
      expect(parts).toEqual([
        { part: `bronze_${source}_2024_01`, n: 31 },
        { part: `bronze_${source}_2024_02`, n: 30 },
      ]);
    });
  });

  it('bronze_visible_through: no row committed later has an ingested_at before it (staged months, dead runs)', async () => {
    const source = `bulk_${++n}`;
    const horizon = (s: Session) =>
      s.query<{ h: string; naive: string }>(`SELECT bronze_visible_through($1)::text AS h, now()::text AS naive`, [source]).then((r) => r[0]);
    const visibleBefore = (s: Session, t: string) =>
      s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_${source} WHERE ingested_at < $1`, [t]).then((r) => r[0].n);
    await db().withSession(async (s) => {
      const dead = await newLoader(s, source);
      await dead.load({ rows: rows(year(200)), startedAt: new Date() });
      // The process died: its run is later marked abandoned, its months are still staged.
      await s.query(`UPDATE bronze_runs SET status = 'abandoned', finished_at = now() WHERE source = $1`, [source]);
    });
    let mid: { h: string; naive: string } | undefined;
    const seen: Record<string, number> = {};
    await db().withSession(async (s) => {
      mid = await horizon(s);
      seen.h = await visibleBefore(s, mid.h);
      seen.naive = await visibleBefore(s, mid.naive);
      const next = await newLoader(s, source);
      await next.load({ rows: rows([...year(366), { id: 5000, at: '2025-02-01T00:00:00Z' }]), startedAt: new Date() });
      await next.finishBulk();
      await s.query(`UPDATE bronze_runs SET status = 'succeeded', finished_at = now() WHERE source = $1 AND status = 'running'`, [source]);
    });
    await db().withSession(async (s) => {
      // Reading up to now() would have passed over the dead run's 200 staged rows for good.
      expect(seen.naive).toBe(0);
      expect(await visibleBefore(s, mid!.naive)).toBe(200);
      // The horizon held back: nothing appeared below it afterwards.
      expect(await visibleBefore(s, mid!.h)).toBe(seen.h);
      // Nothing staged, nothing running: the horizon is the present, every row is below it.
      const after = await horizon(s);
      expect(after.h).toBe(after.naive);
      expect(await visibleBefore(s, after.h)).toBe(367);
      const [{ stages }] = await s.query<{ stages: number }>(`SELECT count(*)::int AS stages FROM bronze_bulk_stages WHERE source = $1`, [source]);
      expect(stages).toBe(0);
    });
  });

  it('bronze_visible_through takes the CLI name (with -) as the stored one, and refuses a name of no source', async () => {
    const source = `bulk_cli_${++n}`;
    await db().withSession(async (s) => {
      const running = await newLoader(s, source);
      await running.load({ rows: rows(year(10)), startedAt: new Date() });
      const [r] = await s.query<{ stored: string; cli: string; now: string }>(
        `SELECT bronze_visible_through($1)::text AS stored, bronze_visible_through($2)::text AS cli, now()::text AS now`,
        [source, source.replace(/_/g, '-')],
      );
      // Held back by the running run and its staged months, whichever way the name is spelt
      // (until 011 the CLI spelling matched nothing and gave now()).
      expect(r.stored).not.toBe(r.now);
      expect(r.cli).toBe(r.stored);
      await expect(s.query(`SELECT bronze_visible_through('no-such-source')`)).rejects.toThrow(
        'bronze_visible_through: no source no-such-source: there is no table bronze_no_such_source',
      );
    });
  });

  it('months of the years 0001–0099 and December 9999 get the bounds of their own month', async () => {
    const source = `bulk_${++n}`;
    const at = ['0050-03-15T00:00:00Z', '0099-12-31T12:00:00Z', '0100-01-15T00:00:00Z', '9999-12-31T23:59:59Z'];
    await db().withSession(async (s) => {
      const loader = await newLoader(s, source);
      expect(await loader.load({ rows: rows(at.map((t, id) => ({ id, at: t }))), startedAt: new Date() })).toMatchObject({ inserted: 4 });
      await loader.finishBulk();
      const bounds = await s.query<{ part: string; bound: string }>(
        `SELECT c.relname AS part, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = $1::regclass AND c.relname <> $2 ORDER BY 1`, [`bronze_${source}`, `bronze_${source}_default`]);
      expect(bounds.map((b) => [b.part.slice(-7), b.bound.replace(/ 00:00:00\+00/g, '')])).toEqual([
        ['0050_03', "FOR VALUES FROM ('0050-03-01') TO ('0050-04-01')"],
        ['0099_12', "FOR VALUES FROM ('0099-12-01') TO ('0100-01-01')"],
        ['0100_01', "FOR VALUES FROM ('0100-01-01') TO ('0100-02-01')"],
        ['9999_12', "FOR VALUES FROM ('9999-12-01') TO ('10000-01-01')"],
      ]);
    });
    expect((await tableSnapshot(db(), source)).length).toBe(4);
  });
});
