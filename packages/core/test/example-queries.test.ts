import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import { beforeAll, expect, it } from 'vitest';
import { consumedOnServer, ensureSourceTable, resultColumns, type Session } from '../src/index.js';

/** sql/queries/*.sql, the example reads users run and `pnpm bench --queries` measures. */
const QUERIES = join(import.meta.dirname, '../../../sql/queries');
const text = (name: string) => readFileSync(join(QUERIES, `${name}.sql`), 'utf8');

describeEachEngine('example queries (sql/queries)', (db) => {
  const run = <T>(name: string, params: unknown[]) => db().withSession((s: Session) => s.query<T>(text(name), params));

  beforeAll(async () => {
    // Three rows of bronze_apple_health: r1 in two versions (January), r2 in February.
    await db().withSession(async (s) => {
      await ensureSourceTable(s, 'apple_health');
      const rows: [string, number, string, string, string][] = [
        ['r1', 1, 'HKQuantityTypeIdentifierHeartRate', '2024-01-10T08:00:00Z', '2024-01-12T00:00:00Z'],
        ['r1', 2, 'HKQuantityTypeIdentifierHeartRate', '2024-01-10T08:00:00Z', '2024-02-20T00:00:00Z'],
        ['r2', 1, 'HKQuantityTypeIdentifierBodyMass', '2024-02-03T07:00:00Z', '2024-02-05T00:00:00Z'],
      ];
      for (const [id, version, type, at, ingested] of rows) {
        await s.query(
          `INSERT INTO bronze_apple_health (source, stream, raw_data, record_hash, source_timestamp, raw_id, version, ingested_at)
           VALUES ('apple_health', 'records', jsonb_build_object('type', $1::text, 'v', $2::int), md5($1 || $2), $3, $4, $2, $5)`,
          [type, version, at, id, ingested],
        );
      }
    });
  });

  it('latest-of-month: the latest version of each record of the month', async () => {
    const rows = await run<{ raw_id: string; version: number }>('latest-of-month', ['2024-01-01', '2024-02-01']);
    expect(rows.map((r) => [r.raw_id, r.version])).toEqual([['r1', 2]]);
  });

  it('containment: rows whose raw_data holds the pattern, in the range', async () => {
    const heart = await run('containment', ['2024-01-01', '2024-04-01', '{"type": "HKQuantityTypeIdentifierHeartRate"}']);
    const mass = await run('containment', ['2024-01-01', '2024-02-01', '{"type": "HKQuantityTypeIdentifierBodyMass"}']);
    expect([heart.length, mass.length]).toEqual([2, 0]);
  });

  it('ingested-since, counts-per-day and history', async () => {
    expect((await run('ingested-since', ['2024-02-01'])).length).toBe(2);
    const days = await run<{ day: unknown; stream: string; rows: string | number }>('counts-per-day', ['2024-01-01', '2025-01-01']);
    expect(days.map((d) => [d.stream, Number(d.rows)])).toEqual([['records', 2], ['records', 1]]);
    const history = await run<{ version: number }>('history', ['r1']);
    expect(history.map((h) => h.version)).toEqual([1, 2]);
  });

  it('each runs consumed on the server, as the benchmark measures it: its columns as a client gets their text', async () => {
    const client = { query: async (sql: string, params?: unknown[]) => ({ rows: await db().withSession((s) => s.query(sql, params)) }) };
    const columns = await resultColumns(client, text('history'), ['r1']);
    expect(columns).toEqual(['version', 'record_hash', 'ingested_at', 'raw_data']);
    expect(await resultColumns(client, text('latest-of-month'), ['2024-01-01', '2024-02-01'])).toEqual(['raw_id', 'version', 'raw_data']);
    // A silver layer's own query may end with its own LIMIT.
    expect(await resultColumns(client, 'SELECT raw_id, version FROM bronze_apple_health ORDER BY id LIMIT $1;', [1])).toEqual(['raw_id', 'version']);

    const [r] = await db().withSession((s) => s.query<{ n: string | number; bytes: string | number }>(consumedOnServer(text('history'), columns), ['r1']));
    // What a text-format client receives: each column's text, fetched here as text.
    const texts = await db().withSession((s) => s.query<Record<string, string>>(
      `SELECT version::text AS version, record_hash, ingested_at::text AS ingested_at, raw_data::text AS raw_data
         FROM bronze_apple_health WHERE stream = 'records' AND raw_id = $1`, ['r1']));
    const expected = texts.reduce((sum, row) => sum + Object.values(row).reduce((a, v) => a + Buffer.byteLength(v), 0), 0);
    expect(Number(r.n)).toBe(2);
    expect(Number(r.bytes)).toBe(expected);
  });
});
