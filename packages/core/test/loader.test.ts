import { expect, it } from 'vitest';
import { describeEachEngine, tableSnapshot } from '@bronze/testkit';
import { ensureSourceTable, fromJsonbSafe, Type, toBronzeRow, compileValidator, emit, type Stream } from '../src/index.js';
import { BatchLoader } from '../src/loader/load-batch.js';

const stream: Stream<{ id: number; at?: string; v?: unknown }> = {
  name: 'things',
  schema: Type.Object({ id: Type.Number(), v: Type.Optional(Type.Unknown()) }),
  id: (r) => String(r.id),
  timestamp: (r) => (r.at ? new Date(r.at) : undefined),
};
const prepared = { stream, validate: compileValidator(stream.schema) };
const row = (r: unknown) => toBronzeRow(prepared, r);

describeEachEngine('batch loader', (db) => {
  let n = 0;
  /** A loader on a fresh source table, with a run row so counters have a target. */
  async function withLoader<T>(fn: (load: (records: unknown[], state?: Map<string, unknown>) => Promise<unknown>, source: string) => Promise<T>): Promise<T> {
    const source = `loader_${++n}`;
    return db().withSession(async (s) => {
      await ensureSourceTable(s, source);
      const [{ id }] = await s.query<{ id: string }>(`INSERT INTO bronze_runs (source) VALUES ($1) RETURNING id`, [source]);
      const loader = new BatchLoader(s, { source, runId: id, environment: 'test', pipelineVersion: 't', parametersJson: '{}', lineageType: 'api' });
      // Each call is a whole read, as the batcher does it: load, then attach bulk-loaded months.
      const load = async (records: unknown[], state?: Map<string, unknown>) => {
        const counts = await loader.load({ rows: records.map(row), state, startedAt: new Date() });
        await loader.finishBulk();
        return counts;
      };
      return fn(load, source);
    });
  }
  const q = <T>(sql: string, params?: unknown[]) => db().withSession((s) => s.query<T>(sql, params));

  it('stores a record once; the same record again adds nothing', async () => {
    await withLoader(async (load, source) => {
      expect(await load([{ id: 1, v: 'a' }, { id: 2, v: 'b' }])).toMatchObject({ inserted: 2, unchanged: 0 });
      expect(await load([{ v: 'a', id: 1 }, { id: 2, v: 'b' }])).toMatchObject({ inserted: 0, unchanged: 2 });
      expect((await tableSnapshot(db(), source)).length).toBe(2);
    });
  });

  it('versions changes: A → B → A stores three versions, the last one is A', async () => {
    await withLoader(async (load, source) => {
      await load([{ id: 7, v: 'A' }]);
      expect(await load([{ id: 7, v: 'B' }])).toMatchObject({ inserted: 1, newVersion: 1 });
      expect(await load([{ id: 7, v: 'A' }])).toMatchObject({ inserted: 1, newVersion: 1 });
      const rows = await q<{ version: number; v: string }>(`SELECT version, raw_data->>'v' AS v FROM bronze_${source} ORDER BY version`);
      expect(rows).toEqual([{ version: 1, v: 'A' }, { version: 2, v: 'B' }, { version: 3, v: 'A' }]);
    });
  });

  it('within one batch: a duplicate is stored once, a change becomes the next version', async () => {
    await withLoader(async (load, source) => {
      expect(await load([{ id: 1, v: 1 }, { id: 1, v: 1 }, { id: 1, v: 2 }])).toMatchObject({ seen: 3, inserted: 2, unchanged: 1, newVersion: 1 });
      const [latest] = await q<{ version: number }>(`SELECT version FROM bronze_${source}_latest WHERE raw_id = '1'`);
      expect(latest.version).toBe(2);
    });
  });

  it('a batch of stored keys unchanged, stored keys changed, new keys, and a stored key twice (same, then changed)', async () => {
    await withLoader(async (load, source) => {
      await load([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }, { id: 4, v: 'd' }]);
      await load([{ id: 4, v: 'D' }]);
      const counts = await load([{ id: 1, v: 'a' }, { id: 2, v: 'B' }, { id: 5, v: 'e' }, { id: 3, v: 'c' }, { id: 3, v: 'C' }, { id: 4, v: 'D' }, { id: 4, v: 'd' }]);
      expect(counts).toMatchObject({ seen: 7, inserted: 4, unchanged: 3, newVersion: 3 });
      const rows = await q<{ id: string; version: number; v: string }>(`SELECT raw_id AS id, version, raw_data->>'v' AS v FROM bronze_${source} ORDER BY raw_id, version`);
      expect(rows.map((r) => `${r.id}.${r.version}=${r.v}`)).toEqual(['1.1=a', '2.1=b', '2.2=B', '3.1=c', '3.2=C', '4.1=d', '4.2=D', '4.3=d', '5.1=e']);
      const latest = await q<{ id: string; version: number }>(`SELECT raw_id AS id, version FROM bronze_${source}_latest ORDER BY raw_id`);
      expect(latest.map((r) => `${r.id}.${r.version}`)).toEqual(['1.1', '2.2', '3.2', '4.3', '5.1']);
    });
  });

  it('stores invalid records with the JSON path and rule, and unstorable strings losslessly', async () => {
    await withLoader(async (load, source) => {
      const weird = { id: 3, v: 'nul\u0000 and lone \ud800' };
      expect(await load([{ id: 'x' }, weird, emit({ id: 4 }, { invalid: 'line 9: broken' })])).toMatchObject({ inserted: 3, invalid: 2, warning: 1 });
      const rows = await q<{ raw_id: string; validation_status: string; error_message: string; raw_data: unknown }>(
        `SELECT raw_id, validation_status, error_message, raw_data FROM bronze_${source} ORDER BY raw_id`);
      const byId = Object.fromEntries(rows.map((r) => [r.raw_id, r]));
      expect(byId['x'].validation_status).toBe('invalid');
      expect(byId['x'].error_message).toMatch(/\/id: Expected number/);
      expect(byId['4'].error_message).toBe('line 9: broken');
      expect(byId['3'].validation_status).toBe('warning');
      expect(fromJsonbSafe(byId['3'].raw_data)).toEqual(weird);
    });
  });

  it('routes rows to month partitions (UTC) and undated rows to the default partition', async () => {
    await withLoader(async (load, source) => {
      await load([{ id: 1, at: '2024-01-31T23:30:00-02:00' }, { id: 2, at: '2024-02-15T00:00:00Z' }, { id: 3 }]);
      const rows = await q<{ raw_id: string; part: string; partition_key: string | null }>(
        `SELECT raw_id, tableoid::regclass::text AS part, partition_key::text FROM bronze_${source} ORDER BY raw_id`);
      expect(rows).toEqual([
        { raw_id: '1', part: `bronze_${source}_2024_02`, partition_key: '2024-02-01' },
        { raw_id: '2', part: `bronze_${source}_2024_02`, partition_key: '2024-02-15' },
        { raw_id: '3', part: `bronze_${source}_default`, partition_key: null },
      ]);
    });
  });

  it('creating a month moves that month out of the default partition, keeping ids and values', async () => {
    await withLoader(async (_load, source) => {
      const t = `bronze_${source}`;
      await q(`INSERT INTO ${t} (source, stream, raw_data, record_hash, raw_id, source_timestamp) VALUES
        ($1, 's', '{"a":1}', 'h1', 'm1', '2023-05-04T10:00:00Z'), ($1, 's', '{"a":2}', 'h2', 'm2', '2023-06-04T10:00:00Z')`, [source]);
      const before = await q<{ id: string; raw_data: unknown }>(`SELECT id, raw_data FROM ${t} ORDER BY raw_id`);
      const [{ made }] = await q<{ made: boolean }>(`SELECT bronze_ensure_month_partition($1, '2023-05-01') AS made`, [t]);
      expect(made).toBe(true);
      const after = await q<{ id: string; raw_data: unknown; part: string }>(`SELECT id, raw_data, tableoid::regclass::text AS part FROM ${t} ORDER BY raw_id`);
      expect(after.map(({ id, raw_data }) => ({ id, raw_data }))).toEqual(before);
      expect(after.map((r) => r.part)).toEqual([`${t}_2023_05`, `${t}_default`]);
    });
  });

  it('commits the cursor and run counters with the batch, and nothing when the batch fails', async () => {
    await withLoader(async (load, source) => {
      await load([{ id: 1 }], new Map([['things', { cursor: 'c1' }]]));
      const state = () => q<{ cursor: unknown }>(`SELECT cursor FROM bronze_state WHERE source = $1`, [source]);
      expect(await state()).toEqual([{ cursor: { cursor: 'c1' } }]);
      await db().withSession((s) => s.query(`ALTER TABLE bronze_${source} ADD CONSTRAINT no_nine CHECK (raw_id <> '9')`));
      await expect(load([{ id: 2 }, { id: 9 }], new Map([['things', { cursor: 'c2' }]]))).rejects.toThrow();
      expect(await state()).toEqual([{ cursor: { cursor: 'c1' } }]);
      expect((await tableSnapshot(db(), source)).length).toBe(1);
      const [run] = await q<{ records_seen: number }>(`SELECT records_seen::int FROM bronze_runs WHERE source = $1`, [source]);
      expect(run.records_seen).toBe(1);
    });
  });
});
