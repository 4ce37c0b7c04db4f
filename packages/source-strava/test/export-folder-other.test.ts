import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { exportEntries, rowsPerStream, run, tempDir, writeZip } from './helpers/export-zip.js';

/**
 * An unzipped export holds more than bronze parses: photos under media/, messaging.json,
 * profile.jpg, PDFs. Its zip stores each in export_other (path, size, sha256, UTF-8 text up to
 * 1 MiB); imported as a folder, those files were left out (named in the summary only), so a
 * user who unzipped the export lost messaging.json's text. Now the folder gives the zip's rows.
 */
const ENTRIES = exportEntries();
/** Left out: a Mac's folder metadata and an unzip tool's AppleDouble files are not the export's. */
const HIDDEN = { '.DS_Store': Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]), '__MACOSX/._activities.csv': Buffer.from([0, 5, 22, 7]) };

/** The entries the zip stores in export_other, by its rule: not a top-level CSV, not an activity file; or a CSV with a header and no row. */
function otherEntries(): string[] {
  const activityFile = (n: string) => /\.(fit|gpx|tcx)(\.gz)?$/i.test(n);
  const topCsv = (n: string) => !n.includes('/') && n.toLowerCase().endsWith('.csv');
  const headerOnly = (n: string) => topCsv(n) && String(ENTRIES[n]).trim().split('\n').length === 1;
  return Object.keys(ENTRIES).filter((n) => (!topCsv(n) && !activityFile(n)) || headerOnly(n)).sort();
}

function writeFolder(dir: string, entries: Record<string, string | Buffer>): string {
  for (const [name, bytes] of Object.entries(entries)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

describeOneEngine("Strava: an unzipped export's other files land in export_other, as from its zip", (db) => {
  const others = () =>
    db().withSession((s) => s.query<{ raw_id: string; sha256: string; text: string | null; entry: string }>(
      `SELECT raw_id, raw_data->>'sha256' AS sha256, raw_data->>'text' AS text, metadata->>'entry' AS entry FROM bronze_strava WHERE stream = 'export_other' ORDER BY raw_id`,
    ));

  it('every file the zip keeps in export_other, under its path in the export, its bytes hashed; hidden files left out and named', async () => {
    const folder = writeFolder(join(tempDir(), 'export_77'), { ...ENTRIES, ...HIDDEN });
    const r = await run(db(), [folder]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const expected = otherEntries();
    expect(expected).toEqual(['blocks.csv', 'media/3f2a.jpg', 'messaging.json']);
    const rows = await others();
    expect(rows.map((o) => o.raw_id)).toEqual(expected);
    expect(rows.map((o) => o.entry)).toEqual(expected);
    for (const o of rows) expect(o.sha256).toBe(createHash('sha256').update(ENTRIES[o.raw_id]!).digest('hex'));
    expect(rows.find((o) => o.raw_id === 'messaging.json')?.text).toBe(String(ENTRIES['messaging.json']));
    expect(r.notes.join('\n')).toContain('2 file(s) left out, not files this source imports (.DS_Store, __MACOSX/._activities.csv)');
  });

  it('the same export as a zip afterwards adds no export_other row', async () => {
    const before = await others();
    const zip = await writeZip(join(tempDir(), 'export_77.zip'), ENTRIES);
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(await others()).toEqual(before);
    expect((await rowsPerStream(db())).export_other).toBe(3);
  });

  it("a folder without activities.csv is no export: its other files stay left out and named (a profile.csv of one's own is no marker)", async () => {
    const folder = writeFolder(join(tempDir(), 'my-files'), { 'profile.csv': ENTRIES['profile.csv']!, 'notes.txt': 'my notes\n', 'routes/1.gpx': ENTRIES['routes/1.gpx']! });
    const r = await run(db(), [folder]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.files.imported).toBe(2);
    expect(r.notes.join('\n')).toContain('1 file(s) left out, not files this source imports (notes.txt)');
  });

  it('one such file given by name is the same entry, without a warning', async () => {
    const folder = writeFolder(join(tempDir(), 'export_78'), { 'activities.csv': ENTRIES['activities.csv']!, 'media/3f2a.jpg': ENTRIES['media/3f2a.jpg']! });
    const r = await run(db(), [join(folder, 'media', '3f2a.jpg')]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(0);
    expect(r.notes).toEqual([]);
  });
});
