import { expect, it } from 'vitest';
import { countRows, describeEachEngine, tableSnapshot } from '@bronze/testkit';
import { checkpoint, defineSource, ingest, planPrune, prune, silentLogger, Type } from '../src/index.js';

type Item = { id: number; at: string | null; v: number };

function listSource(name: string, data: Item[]) {
  return defineSource({
    name,
    version: '1',
    description: 'test',
    config: Type.Object({}),
    configure: () => ({}),
    baseUrl: 'http://127.0.0.1:1',
    streams: () => [
      {
        name: 'items',
        schema: Type.Object({ id: Type.Number(), at: Type.Union([Type.String(), Type.Null()]), v: Type.Number() }),
        id: (r: Item) => String(r.id),
        timestamp: (r: Item) => (r.at ? new Date(r.at) : undefined),
        async *read() {
          for (const r of data) {
            yield r;
            yield checkpoint({ after: r.id });
          }
        },
      },
    ],
  });
}

// 2022-01 … 2022-12: 3 records a month, plus 2 without a date.
const DATA: Item[] = [
  ...Array.from({ length: 36 }, (_, i) => ({ id: i + 1, at: `2022-${String(Math.floor(i / 3) + 1).padStart(2, '0')}-1${i % 3}T12:00:00Z`, v: 1 })),
  { id: 100, at: null, v: 1 },
  { id: 101, at: null, v: 1 },
];

describeEachEngine('db prune', (db) => {
  it('plans whole months before the date, drops them with --yes, logs a prune run, keeps _latest', async () => {
    const src = listSource('prune_a', DATA.map((d) => ({ ...d })));
    await ingest(db(), src, { logger: silentLogger() });
    expect(await countRows(db(), 'prune_a')).toBe(38);

    // 2022-04-15: January to March are over before it; April is not whole.
    const plan = await db().withSession((s) => planPrune(s, 'prune_a', '2022-04-15'));
    expect(plan.partitions.map((p) => p.name)).toEqual(['bronze_prune_a_2022_01', 'bronze_prune_a_2022_02', 'bronze_prune_a_2022_03']);
    expect(plan.rows).toBe(9);
    expect(plan.bytes).toBeGreaterThan(0);
    expect(await countRows(db(), 'prune_a')).toBe(38); // planning changes nothing

    const done = await prune(db(), 'prune_a', '2022-04-15');
    expect(done.rows).toBe(9);
    expect(await countRows(db(), 'prune_a')).toBe(29);
    expect(await countRows(db(), 'prune_a', 'source_timestamp IS NULL')).toBe(2);
    const runs = await db().withSession((s) => s.query<{ action: string; status: string; parameters: { rows: number; partitions: string[] } }>(
      `SELECT action, status, parameters FROM bronze_runs WHERE source = 'prune_a' ORDER BY started_at`));
    expect(runs.map((r) => r.action)).toEqual(['ingest', 'prune']);
    expect(runs[1]).toMatchObject({ status: 'succeeded', parameters: { rows: 9, partitions: plan.partitions.map((p) => p.name) } });

    // Re-reading the same old records stores nothing: _latest still knows them.
    const rerun = await ingest(db(), src, { logger: silentLogger(), fullRefresh: true });
    expect(rerun).toMatchObject({ inserted: 0, newVersion: 0, unchanged: 38 });
    expect(await countRows(db(), 'prune_a')).toBe(29);
    // A changed old record continues its version numbers (no second version 1).
    const changed = DATA.map((d) => ({ ...d, v: d.id === 1 ? 2 : 1 }));
    await ingest(db(), listSource('prune_a', changed), { logger: silentLogger(), fullRefresh: true });
    expect((await tableSnapshot(db(), 'prune_a')).filter((r) => r.startsWith('items|1|'))).toEqual([expect.stringMatching(/^items\|1\|2\|/)]);

    // That new version recreated January's partition: a second prune removes just it, a third nothing.
    expect((await prune(db(), 'prune_a', '2022-04-15')).rows).toBe(1);
    expect((await prune(db(), 'prune_a', '2022-04-15')).rows).toBe(0);
  });

  it('refuses a date in the future, a malformed date and an unknown source, changing nothing', async () => {
    await ingest(db(), listSource('prune_b', DATA.slice(0, 6)), { logger: silentLogger() });
    const future = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await expect(prune(db(), 'prune_b', future)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('in the future') });
    await expect(prune(db(), 'prune_b', '2022-13-45')).rejects.toMatchObject({ exitCode: 2 });
    await expect(prune(db(), 'prune_b', 'yesterday')).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('YYYY-MM-DD') });
    await expect(prune(db(), 'nothing_here', '2022-01-01')).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('bronze_nothing_here') });
    expect(await countRows(db(), 'prune_b')).toBe(6);
    const [{ n }] = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_runs WHERE action = 'prune' AND source = 'prune_b'`));
    expect(n).toBe(0);
  });
});
