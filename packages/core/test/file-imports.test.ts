import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { countRows, describeEachEngine, tableSnapshot } from '@bronze/testkit';
import { ingest, silentLogger } from '../src/index.js';
import { MAX_BATCH_JSON_CHARS } from '../src/ingest/batcher.js';
import { capturingLogger, jsonlSource, tempDir, writeJsonl } from './file-source.js';

const files = (db: Parameters<typeof ingest>[0], source: string) =>
  db!.withSession((s) =>
    s.query<{ path: string; streams: string[]; status: string; records: number; repeated_ids: number; error: string | null }>(
      'SELECT path, streams, status, records::int, repeated_ids::int, error FROM bronze_files WHERE source = $1 ORDER BY id',
      [source],
    ),
  );

describeEachEngine('file imports', (db) => {
  it('numbers ids repeated in a file (X, X#2, X#3), warns once, and re-imports of the file or a longer one add nothing', async () => {
    const src = jsonlSource('rep_ids');
    const path = writeJsonl(join(tempDir(), 'weights.jsonl'), [
      { id: 'a', v: 1 }, { id: 'b', v: 2 }, { id: 'a', v: 3 }, { id: 'c', v: 4 }, { id: 'a', v: 5 }, { id: 'b', v: 6 },
    ]);
    const { logger, lines } = capturingLogger();
    const first = await ingest(db(), src, { files: [path], logger, batchSize: 2 });
    expect(first).toMatchObject({ status: 'succeeded', seen: 6, inserted: 6, newVersion: 0 });
    const ids = (await tableSnapshot(db(), 'rep_ids')).map((r) => r.split('|').slice(1, 3).join('|'));
    expect(ids).toEqual(['a|1', 'a#2|1', 'a#3|1', 'b|1', 'b#2|1', 'c|1']);
    const warnings = lines.filter((l) => /occur more than once/.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/weights\.jsonl: 2 id\(s\) occur more than once \(3 repeat\(s\), e\.g\. weights\/a\)/);
    expect(first.notes).toEqual([warnings[0].replace(/^warn: /, '')]);
    expect((await files(db(), 'rep_ids'))[0]).toMatchObject({ status: 'imported', records: 6, repeated_ids: 3 });

    const again = await ingest(db(), src, { files: [path], logger: silentLogger(), force: true, batchSize: 4 });
    expect(again).toMatchObject({ status: 'succeeded', seen: 6, inserted: 0 });
    appendFileSync(path, [JSON.stringify({ id: 'a', v: 7 }), JSON.stringify({ id: 'd', v: 8 })].join('\n') + '\n');
    const longer = await ingest(db(), src, { files: [path], logger: silentLogger(), batchSize: 3 });
    expect(longer).toMatchObject({ status: 'succeeded', seen: 8, inserted: 2, newVersion: 0 });
    expect(await countRows(db(), 'rep_ids')).toBe(8);
  });

  it('a first import skips the _latest lookup only within its file: a second file of the stream in the same run is looked up', async () => {
    const src = jsonlSource('two_files');
    const dir = tempDir();
    // Both files feed stream `s` (--stream): the second repeats ids of the first, one changed.
    const a = writeJsonl(join(dir, 'a.jsonl'), [{ id: 'x', v: 1 }, { id: 'y', v: 2 }, { id: 'x', v: 3 }]);
    const b = writeJsonl(join(dir, 'b.jsonl'), [{ id: 'x', v: 1 }, { id: 'y', v: 20 }, { id: 'z', v: 4 }]);
    const run = await ingest(db(), src, { files: [a, b], logger: silentLogger(), batchSize: 2, options: { stream: 's' } });
    expect(run).toMatchObject({ status: 'succeeded', seen: 6, inserted: 5, unchanged: 1, newVersion: 1 });
    const ids = (await tableSnapshot(db(), 'two_files')).map((r) => r.split('|').slice(1, 3).join('|'));
    expect(ids).toEqual(['x|1', 'x#2|1', 'y|1', 'y|2', 'z|1']);
    // The second file again (forced): every key is looked up, nothing is added.
    expect(await ingest(db(), src, { files: [b], logger: silentLogger(), force: true, options: { stream: 's' } })).toMatchObject({ seen: 3, inserted: 0 });
  });

  it('an id that looks numbered (a#2) beside a repeated one (a, a) in one file: each stored once, in either order, on a first import', async () => {
    const src = jsonlSource('literal_suffix');
    const dir = tempDir();
    // Numbering makes the 2nd `a` into `a#2`: the file's own `a#2` is the same key, as before.
    const first = writeJsonl(join(dir, 'p.jsonl'), [{ id: 'a#2', v: 'literal' }, { id: 'a', v: 1 }, { id: 'a', v: 2 }]);
    const second = writeJsonl(join(dir, 'q.jsonl'), [{ id: 'b', v: 1 }, { id: 'b', v: 2 }, { id: 'b#2', v: 'literal' }]);
    const run = await ingest(db(), src, { files: [first, second], logger: silentLogger(), batchSize: 1 });
    expect(run).toMatchObject({ status: 'succeeded', seen: 6, inserted: 6, newVersion: 2 });
    const ids = (await tableSnapshot(db(), 'literal_suffix')).map((r) => r.split('|').slice(1, 3).join('|'));
    expect(ids).toEqual(['a|1', 'a#2|1', 'a#2|2', 'b|1', 'b#2|1', 'b#2|2']);
  });

  it('rows without id count every occurrence (row:…#1, #2), the same on every import', async () => {
    const src = jsonlSource('counted_ids');
    const path = writeJsonl(join(tempDir(), 'buys.jsonl'), [{ v: 'x' }, { v: 'y' }, { v: 'x' }]);
    expect(await ingest(db(), src, { files: [path], logger: silentLogger(), batchSize: 1 })).toMatchObject({ inserted: 3 });
    const ids = (await tableSnapshot(db(), 'counted_ids')).map((r) => r.split('|')[1]);
    expect(ids).toEqual(['row:{"v":"x"}#1', 'row:{"v":"x"}#2', 'row:{"v":"y"}#1']);
    expect(await ingest(db(), src, { files: [path], logger: silentLogger(), force: true })).toMatchObject({ seen: 3, inserted: 0 });
  });

  it('A → B → A at one path stores A again as version 3', async () => {
    const src = jsonlSource('aba');
    const dir = tempDir();
    const path = join(dir, 'w.jsonl');
    const write = (v: string, t: number) => {
      writeJsonl(path, [{ id: 'k', v }]);
      utimesSync(path, t, t);
    };
    write('A', 1_000_000);
    expect(await ingest(db(), src, { files: [path], logger: silentLogger() })).toMatchObject({ inserted: 1 });
    write('B', 2_000_000);
    expect(await ingest(db(), src, { files: [path], logger: silentLogger() })).toMatchObject({ inserted: 1, newVersion: 1 });
    write('A', 3_000_000);
    const third = await ingest(db(), src, { files: [path], logger: silentLogger() });
    expect(third).toMatchObject({ status: 'succeeded', inserted: 1, newVersion: 1, files: { imported: 1, skipped: 0 } });
    const versions = (await tableSnapshot(db(), 'aba')).map((r) => r.split('|')[2]);
    expect(versions).toEqual(['1', '2', '3']);
    // The same content again, unchanged: skipped.
    expect(await ingest(db(), src, { files: [path], logger: silentLogger() })).toMatchObject({ seen: 0, files: { imported: 0, skipped: 1 } });
  });

  it('identical bytes under another path, or into another stream, are imported, not skipped', async () => {
    const src = jsonlSource('same_bytes');
    const dir = tempDir();
    const a = writeJsonl(join(dir, 'one.jsonl'), [{ id: '1', v: 1 }, { id: '2', v: 2 }]);
    const b = join(dir, 'two.jsonl');
    copyFileSync(a, b);
    expect(await ingest(db(), src, { files: [a], logger: silentLogger() })).toMatchObject({ inserted: 2 });
    expect(await ingest(db(), src, { files: [b], logger: silentLogger() })).toMatchObject({ inserted: 2, files: { imported: 1, skipped: 0 } });
    const other = await ingest(db(), src, { files: [a], logger: silentLogger(), options: { stream: 'elsewhere' } });
    expect(other).toMatchObject({ inserted: 2, files: { imported: 1, skipped: 0 } });
    expect(await ingest(db(), src, { files: [a], logger: silentLogger(), options: { stream: 'elsewhere' } })).toMatchObject({ files: { skipped: 1 } });
    expect((await tableSnapshot(db(), 'same_bytes')).map((r) => r.split('|').slice(0, 2).join('|'))).toEqual([
      'elsewhere|1', 'elsewhere|2', 'one|1', 'one|2', 'two|1', 'two|2',
    ]);
  });

  it('an import stopped mid-file is marked interrupted, and the next plain run reads it again to the clean-run table', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: String(i % 15), v: i }));
    const path = writeJsonl(join(dir, 'big.jsonl'), rows);
    await ingest(db(), jsonlSource('stop_clean'), { files: [path], logger: silentLogger(), batchSize: 4 });
    const clean = await tableSnapshot(db(), 'stop_clean');
    expect(clean).toHaveLength(40);

    const ac = new AbortController();
    const stopping = jsonlSource('stop_mid', (n) => n === 17 && ac.abort());
    const cut = await ingest(db(), stopping, { files: [path], logger: silentLogger(), batchSize: 4, signal: ac.signal });
    expect(cut.status).toBe('failed');
    // The signal fired while the 17th record was read: the 16 before it are kept, not it.
    expect(cut.seen).toBe(16);
    expect((await files(db(), 'stop_mid'))[0]).toMatchObject({ status: 'interrupted', records: 16 });

    const resumed = await ingest(db(), jsonlSource('stop_mid'), { files: [path], logger: silentLogger(), batchSize: 4 });
    expect(resumed).toMatchObject({ status: 'succeeded', seen: 40, inserted: 24, files: { imported: 1, skipped: 0 } });
    const strip = (snap: string[]) => snap.map((r) => r.split('|').slice(1).join('|'));
    expect(strip(await tableSnapshot(db(), 'stop_mid'))).toEqual(strip(clean));
    expect(await ingest(db(), jsonlSource('stop_mid'), { files: [path], logger: silentLogger() })).toMatchObject({ files: { skipped: 1 } });
  });

  it('a folder given as --file: the files the source takes are imported, the others are named in the summary', async () => {
    const folder = join(tempDir(), 'export');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeJsonl(join(folder, 'a.jsonl'), [{ id: 'a1', v: 1 }, { id: 'a2', v: 2 }]);
    writeJsonl(join(folder, 'sub', 'b.jsonl'), [{ id: 'b1', v: 3 }]);
    writeFileSync(join(folder, 'notes.txt'), 'not a jsonl file\n');
    writeFileSync(join(folder, 'sub', '.DS_Store'), 'x');
    writeFileSync(join(folder, 'sub', 'empty.jsonl'), ''); // taken by match, but holds nothing
    const base = jsonlSource('folder_rows');
    const src = { ...base, files: { ...base.files!, match: (p: string) => p.endsWith('.jsonl') } };
    const { logger, lines } = capturingLogger();
    const r = await ingest(db(), src, { files: [folder], logger, options: { stream: 'folder_rows' } });
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3, files: { imported: 2 } });
    const note = `${folder}: 2 file(s) left out, not files this source imports (notes.txt, ${join('sub', '.DS_Store')})`;
    const empty = `${folder}: 1 file(s) left out, empty (0 bytes: nothing to import) (${join('sub', 'empty.jsonl')})`;
    expect(r.notes).toEqual([note, empty]);
    expect(lines.some((l) => l === `warn: ${note}`)).toBe(true);
    // Given by name, an empty file still stops the run before anything is written.
    await expect(ingest(db(), src, { files: [join(folder, 'sub', 'empty.jsonl')], logger: silentLogger(), options: { stream: 'folder_rows' } })).rejects.toThrow(/is empty \(0 bytes\)/);
  });

  it('a folder given as --file: a symbolic link to a file is read; links to folders, broken links and pipes are named, never skipped silently', async () => {
    const root = tempDir();
    const elsewhere = join(root, 'elsewhere');
    const folder = join(root, 'links');
    mkdirSync(elsewhere);
    mkdirSync(folder);
    writeJsonl(join(elsewhere, 'linked.jsonl'), [{ id: 'l1', v: 1 }, { id: 'l2', v: 2 }]);
    writeJsonl(join(folder, 'plain.jsonl'), [{ id: 'p1', v: 3 }]);
    symlinkSync(join(elsewhere, 'linked.jsonl'), join(folder, 'link.jsonl'));
    symlinkSync(elsewhere, join(folder, 'folder-link'));
    symlinkSync(join(root, 'gone.jsonl'), join(folder, 'broken.jsonl'));
    execFileSync('mkfifo', [join(folder, 'pipe.jsonl')]);
    const base = jsonlSource('linked_rows');
    const src = { ...base, files: { ...base.files!, match: (p: string) => p.endsWith('.jsonl') } };
    const r = await ingest(db(), src, { files: [folder], logger: silentLogger(), options: { stream: 'linked_rows' } });
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3, files: { imported: 2 } });
    expect(r.notes).toEqual([
      `${folder}: 2 file(s) left out, symbolic links to folders (not followed: pass the folder itself with --file) or broken (broken.jsonl, folder-link)`,
      `${folder}: 1 file(s) left out, not regular files (pipes, sockets, devices) (pipe.jsonl)`,
    ]);
  });

  it('a folder given as --file: a file whose name is not UTF-8 fails the run by name, after the others are imported; renamed, it is imported', async () => {
    const folder = join(tempDir(), 'latin1-names');
    mkdirSync(folder);
    writeJsonl(join(folder, 'plain.jsonl'), [{ id: 'p1', v: 1 }]);
    // `Übersicht.jsonl` and `Ärger.txt` as an old zip unpacks them: Latin-1 bytes, not UTF-8.
    const latin1 = (name: string) => Buffer.concat([Buffer.from(`${folder}/`), Buffer.from(name, 'latin1')]);
    writeFileSync(latin1('Übersicht.jsonl'), '{"id":"u1","v":2}\n{"id":"u2","v":3}\n');
    writeFileSync(latin1('Ärger.txt'), 'not a jsonl file\n');
    const base = jsonlSource('latin1_rows');
    const src = { ...base, files: { ...base.files!, match: (p: string) => p.endsWith('.jsonl') } };
    const r = await ingest(db(), src, { files: [folder], logger: silentLogger(), options: { stream: 'latin1_rows' } });
    expect(r).toMatchObject({ status: 'failed', inserted: 1, files: { imported: 1, failed: 1 } });
    expect(r.errors).toEqual([`${join(folder, '\ufffdbersicht.jsonl')}: its name is not UTF-8 (� marks the bytes that are not), and bronze cannot open a file by such a name: rename it to import it`]);
    expect(r.notes).toEqual([`${folder}: 1 file(s) left out, not files this source imports, with names that are not UTF-8 (\ufffdrger.txt)`]);
    // Given by name, the shell hands Node the same bytes: the same reason, not "no such file".
    await expect(ingest(db(), src, { files: [join(folder, '\ufffdbersicht.jsonl')], logger: silentLogger(), options: { stream: 'latin1_rows' } })).rejects.toThrow(/its name is not UTF-8 .* rename it to import it/);
    renameSync(latin1('Übersicht.jsonl'), join(folder, 'Uebersicht.jsonl'));
    const again = await ingest(db(), src, { files: [folder], logger: silentLogger(), options: { stream: 'latin1_rows' } });
    expect(again).toMatchObject({ status: 'succeeded', inserted: 2, files: { imported: 1, skipped: 1, failed: 0 } });
  });

  it('a file that yields 0 records warns and is not marked imported', async () => {
    const path = join(tempDir(), 'blank.jsonl');
    writeJsonl(path, []);
    appendFileSync(path, '\n\n');
    const { logger, lines } = capturingLogger();
    const r = await ingest(db(), jsonlSource('zero_rows'), { files: [path], logger });
    expect(r).toMatchObject({ seen: 0, files: { imported: 0, failed: 1 } });
    expect(lines.some((l) => l.startsWith('warn: 0 records from') && l.includes('blank.jsonl'))).toBe(true);
    // And in the summary line, not only in the log.
    expect(r.notes).toEqual([`0 records from ${path}: nothing stored, the file is not marked imported`]);
    expect((await files(db(), 'zero_rows'))[0]).toMatchObject({ status: 'failed' });
    expect(await ingest(db(), jsonlSource('zero_rows'), { files: [path], logger: silentLogger() })).toMatchObject({ files: { skipped: 0, failed: 1 } });
  });

  it('ends a batch at MAX_BATCH_JSON_CHARS of raw JSON, whatever the row count: large records do not make large batches', async () => {
    // 60 records of ~300 kB: far under the 5,000-row batch, 18 MB in all.
    const pad = 'x'.repeat(300_000);
    const rows = Array.from({ length: 60 }, (_, i) => ({ id: `big${String(i).padStart(2, '0')}`, v: pad }));
    const path = writeJsonl(join(tempDir(), 'big.jsonl'), rows);
    const r = await ingest(db(), jsonlSource('big_rows'), { files: [path], logger: silentLogger() });
    expect(r).toMatchObject({ status: 'succeeded', seen: 60, inserted: 60 });
    // A batch's rows share processing_start_time (when the batch started being read).
    const batches = await db().withSession((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM bronze_big_rows GROUP BY processing_start_time ORDER BY min(raw_id)'),
    );
    // The row that reaches the bound ends its batch: each holds ceil(bound / record size) rows, the last the rest.
    const perBatch = Math.ceil(MAX_BATCH_JSON_CHARS / JSON.stringify(rows[0]).length);
    const expected = Array.from({ length: Math.ceil(60 / perBatch) }, (_, i) => Math.min(perBatch, 60 - i * perBatch));
    expect(batches.map((b) => b.n)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(2);
  });
});
