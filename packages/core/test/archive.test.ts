import { mkdtempSync, readFileSync, readdirSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, tableSnapshot, testEngines, type Engine, type TestDatabase } from '@bronze/testkit';
import { checkpoint, defineSource, exportDatabase, importArchive, ingest, silentLogger, Type, type BronzeDatabase } from '../src/index.js';
import { type Manifest } from '../src/archive/manifest.js';

type Item = { id: number; at: string | null; note: string };

/** An API-like source over an in-memory list: ids, optional dates, any text. */
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
        schema: Type.Object({ id: Type.Number(), at: Type.Union([Type.String(), Type.Null()]), note: Type.String() }),
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

/** Values COPY text must carry exactly: tabs, newlines, backslashes, quotes, non-BMP text. */
const NOTES = ['plain', 'tab\there', 'line\nbreak\r\n', 'back\\slash \\N', '"quoted" \'single\'', 'émoji 🏋️ 中文', ''];

async function fill(db: BronzeDatabase, source: string, rows = 60): Promise<void> {
  const data: Item[] = Array.from({ length: rows }, (_, i) => ({
    id: i + 1,
    at: i % 7 === 0 ? null : `2023-${String((i % 12) + 1).padStart(2, '0')}-15T10:00:00Z`,
    note: NOTES[i % NOTES.length],
  }));
  data.push({ id: 999, at: '2023-05-01T00:00:00Z', note: 42 as unknown as string }); // invalid, stored
  const src = listSource(source, data);
  await ingest(db, src, { logger: silentLogger() });
  for (const d of data.slice(0, 5)) d.note += ' (revised)';
  await ingest(db, src, { logger: silentLogger(), fullRefresh: true });
}

/** An independent view of what is stored: every table bronze owns, values as text. */
async function snapshot(db: BronzeDatabase, source: string) {
  return db.withSession(async (s) => ({
    rows: await tableSnapshot(db, source),
    detail: await s.query(
      `SELECT id::text, raw_data::text, lineage_id::text, pipeline_run_id::text, extract(epoch FROM ingested_at)::text AS at,
              (source_timestamp IS NULL) AS undated, error_message, metadata::text FROM bronze_${source} ORDER BY id`,
    ),
    latest: await s.query(`SELECT stream, raw_id, version, record_hash FROM bronze_${source}_latest ORDER BY raw_id COLLATE "C"`),
    runs: await s.query(`SELECT id::text, source, status, records_inserted::int, records_new_version::int, records_invalid::int, extract(epoch FROM started_at)::text AS t FROM bronze_runs ORDER BY id`),
    state: await s.query(`SELECT source, stream, cursor::text, run_id::text FROM bronze_state ORDER BY source, stream`),
    partitions: await s.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'bronze_${source}'::regclass ORDER BY 1`),
  }));
}

function newDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'bronze-archive-')), 'archive');
}

const engines = testEngines();
const pairs: [Engine, Engine][] = engines.flatMap((a) => engines.map((b) => [a, b] as [Engine, Engine]));

for (const [fromEngine, toEngine] of pairs) {
  describe(`archive ${fromEngine} → ${toEngine}`, () => {
    let from: TestDatabase;
    let to: TestDatabase;
    const source = `arch_${fromEngine.slice(0, 2)}_${toEngine.slice(0, 2)}`;
    beforeAll(async () => {
      from = await createTestDatabase(fromEngine);
      to = await createTestDatabase(toEngine);
      await fill(from, source);
    }, 180_000);
    afterAll(async () => {
      await from?.close();
      await to?.close();
    }, 60_000);

    it('export → import gives identical tables, and a merge of the same archive adds 0 rows', async () => {
      const dir = newDir();
      const manifest = await exportDatabase(from, dir);
      const expected = await snapshot(from, source);
      // Counted independently of the manifest: rows per table on the source database.
      const table = manifest.tables.find((t) => t.name === `bronze_${source}`)!;
      expect(table.rows).toBe(expected.detail.length);
      expect(expected.detail.length).toBe(61 + 5);
      expect(manifest.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['bronze_runs', 'bronze_state', 'bronze_files', `bronze_${source}_latest`]));
      expect(manifest.tables.findIndex((t) => t.name === 'bronze_runs')).toBeLessThan(manifest.tables.findIndex((t) => t.name === 'bronze_state'));

      const result = await importArchive(to, dir);
      expect(result.tables.find((t) => t.name === `bronze_${source}`)?.added).toBe(66);
      expect(await snapshot(to, source)).toEqual(expected);

      // Ids continue after the imported ones: the next ingestion does not reuse an id.
      await ingest(to, listSource(source, [{ id: 5000, at: '2023-01-02T00:00:00Z', note: 'after import' }]), { logger: silentLogger() });
      const [{ dup }] = await to.withSession((s) => s.query<{ dup: number }>(`SELECT count(*)::int - count(DISTINCT id)::int AS dup FROM bronze_${source}`));
      expect(dup).toBe(0);

      const again = await importArchive(to, dir, { merge: true });
      expect(again.tables.reduce((n, t) => n + t.added, 0)).toBe(0);
      const twice = await importArchive(to, dir, { merge: true });
      expect(twice.tables.reduce((n, t) => n + t.added, 0)).toBe(0);
    });

    it('refuses a target that holds data, without changing it', async () => {
      const dir = newDir();
      await exportDatabase(from, dir);
      const before = await snapshot(to, source);
      await expect(importArchive(to, dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/already holds bronze data.*--merge/) });
      expect(await snapshot(to, source)).toEqual(before);
    });
  });
}

for (const engine of engines) {
  describe(`archive bad input [${engine}]`, () => {
    let from: TestDatabase;
    let to: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      from = await createTestDatabase(engine);
      to = await createTestDatabase(engine);
      await fill(from, 'arch_bad', 400);
      dir = newDir();
      await exportDatabase(from, dir);
    }, 180_000);
    afterAll(async () => {
      await from?.close();
      await to?.close();
    }, 60_000);

    const rowsIn = async (db: BronzeDatabase) =>
      db.withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_runs`)).then((r) => r[0].n);

    it('a truncated table file fails naming the file and imports nothing', async () => {
      const cut = newDir();
      await exportDatabase(from, cut);
      const file = join(cut, 'tables', 'bronze_arch_bad.copy.gz');
      truncateSync(file, Math.floor(statSync(file).size / 2));
      await expect(importArchive(to, cut)).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining('bronze_arch_bad.copy.gz') });
      expect(await rowsIn(to)).toBe(0);
      const [{ t }] = await to.withSession((s) => s.query<{ t: string | null }>(`SELECT to_regclass('bronze_arch_bad')::text AS t`));
      expect(t).toBeNull();
    });

    it('an archive without its manifest (export cut short) is refused', async () => {
      const partial = newDir();
      await exportDatabase(from, partial);
      writeFileSync(join(partial, 'manifest.json'), '');
      await expect(importArchive(to, partial)).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining('manifest') });
      expect(await rowsIn(to)).toBe(0);
    });

    it('an archive from a newer schema is refused with exit 2', async () => {
      const newer = newDir();
      await exportDatabase(from, newer);
      const m = JSON.parse(readFileSync(join(newer, 'manifest.json'), 'utf8')) as Manifest;
      m.migrations.push({ name: '999_from_the_future.sql', checksum: 'x' });
      writeFileSync(join(newer, 'manifest.json'), JSON.stringify(m));
      await expect(importArchive(to, newer)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/newer schema.*999_from_the_future/) });
      expect(await rowsIn(to)).toBe(0);
    });

    it('the archive holds one gzip file per table and nothing else', () => {
      expect(readdirSync(join(dir, 'tables')).every((f) => f.endsWith('.copy.gz'))).toBe(true);
    });
  });
}
