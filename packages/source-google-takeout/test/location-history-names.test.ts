import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { expectedCounts, rowsPerStream, run, tempDir, TAKEOUT_DIR, treeOf, writeZip } from './helpers.js';

/**
 * Older exports wrote Records.json's document as `Location History/Location History.json`, and
 * before 2017 as `LocationHistory.json` (google_takeout_parser's handler map, fixtures/README.md).
 * The document is the fixture Records.json (google_takeout_parser's real samples), under those names.
 */
const RECORDS = readFileSync(join(TAKEOUT_DIR, 'Takeout/Location History/Records.json'));

function exportWith(name: string): string {
  const dir = tempDir();
  const path = join(dir, 'Takeout/Location History', name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, RECORDS);
  return dir;
}

describeEachEngine('google takeout: Location History under its older file names', (db) => {
  it('`Location History.json` and `LocationHistory.json` are read as Records.json: one row per location, the same ids', async () => {
    const old = exportWith('Location History.json');
    const want = expectedCounts(treeOf(old));
    expect(want).toEqual({ locations: JSON.parse(RECORDS.toString('utf8')).locations.length });

    const first = await run(db(), [join(old, 'Takeout')]);
    expect(first.status, first.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(want);

    // The pre-2017 name, then today's name in a zip: the same locations, nothing new.
    for (const files of [[join(exportWith('LocationHistory.json'), 'Takeout')], [await writeZip(join(tempDir(), 'takeout-20240101T000000Z-001.zip'), { 'Takeout/Location History/Records.json': RECORDS })]]) {
      const again = await run(db(), files);
      expect(again.status, again.errors.join('; ')).toBe('succeeded');
      expect(again.inserted).toBe(0);
    }
    expect(await rowsPerStream(db())).toEqual(want);
  });
});
