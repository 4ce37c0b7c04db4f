import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { expectedCounts, fixtureEntries, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

/**
 * Real exports hold empty files (two 0-byte files in a real 2024 YouTube export,
 * fixtures/README.md). A folder's are left out by core and named in the run's summary; a zip's
 * were read as what their path says: an empty MyActivity.json or subscriptions.csv failed the
 * zip on every run, an empty other file became a row. Both now go the folder's way.
 */
const EMPTY = ['Takeout/My Activity/Search/MyActivity.json', 'Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv', 'Takeout/archive_browser.html'];

describeEachEngine('google takeout: empty files in a zip are left out, as in a folder', (db) => {
  it('the zip succeeds, names its empty files, and stores what the same folder stores', async () => {
    const tree = fixtureEntries();
    const want = expectedCounts(tree);
    const entries: Record<string, Buffer> = { ...tree, ...Object.fromEntries(EMPTY.map((p) => [p, Buffer.alloc(0)])) };

    const dir = tempDir();
    for (const [path, bytes] of Object.entries(entries)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const folder = await run(db(), [join(dir, 'Takeout')]);
    expect(folder.status, folder.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(want);

    const zip = await run(db(), [await writeZip(join(tempDir(), 'takeout-20240101T000000Z-001.zip'), entries)]);
    expect(zip.status, zip.errors.join('; ')).toBe('succeeded');
    expect(zip.inserted).toBe(0);
    expect(zip.notes.join('\n')).toContain(`${EMPTY.length} file(s) left out, empty (0 bytes: nothing to import)`);
    expect(await rowsPerStream(db())).toEqual(want);
  });

  // Entries of some bytes and no record were passed over without a word in a zip (a folder's
  // files get core's "0 records from <file>"): `[]`, `{"locations":[]}`, a CSV header alone.
  it('names the entries of a zip that hold bytes but gave 0 records', async () => {
    const recordless = {
      'Takeout/My Activity/Maps/MyActivity.json': '[]',
      'Takeout/Location History/Records.json': '{"locations":[]}',
      'Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv': 'Channel Id,Channel Url,Channel Title\n',
    };
    const zip = await writeZip(join(tempDir(), 'takeout-20240102T000000Z-001.zip'), { ...fixtureEntries(), ...recordless });
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const named = r.notes.find((n) => n.includes('gave 0 records'));
    expect(named).toMatch(new RegExp(`^${zip.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 3 file\\(s\\) gave 0 records, nothing stored from them \\(`));
    for (const path of Object.keys(recordless)) expect(named).toContain(path);
  });
});
