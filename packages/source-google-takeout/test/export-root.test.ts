import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { expectedCounts, rowsPerStream, run, tempDir, TAKEOUT_DIR, treeOf, writeZip } from './helpers.js';

/** A minimal My Maps KMZ as Takeout writes it: a zip holding one `doc.kml`. */
async function kmz(path: string, name: string): Promise<Buffer> {
  mkdirSync(dirname(path), { recursive: true });
  const kml = `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${name}</name><Placemark><name>Paris</name><Point><coordinates>2.35,48.85,0</coordinates></Point></Placemark></Document></kml>\n`;
  await writeZip(path, { 'doc.kml': kml });
  return readFileSync(path);
}

const otherRows = (db: Parameters<typeof rowsPerStream>[0]) =>
  db.withSession((s) => s.query<{ raw_id: string; version: number; raw_data: { path: string; size: number; sha256: string } }>(`SELECT raw_id, version, raw_data FROM bronze_google_takeout WHERE stream = 'other' ORDER BY raw_id, version`));

describeOneEngine('google takeout: a KMZ of an unpacked Takeout is a file of it, not an export', (db) => {
  it('two KMZ files, in a folder, alone, and in a zip: one `other` row each, named by its path, re-imports add nothing', async () => {
    const dir = tempDir();
    const a = join(dir, 'Takeout/My Maps/France 2022 Trip.kmz');
    const b = join(dir, 'Takeout/My Maps/Copy of France 2022 Trip.kmz');
    const bytes = { 'Takeout/My Maps/France 2022 Trip.kmz': await kmz(a, 'France 2022 Trip'), 'Takeout/My Maps/Copy of France 2022 Trip.kmz': await kmz(b, 'Copy of France 2022 Trip') };
    const want = Object.entries(bytes)
      .map(([path, buf]) => ({ raw_id: path, version: 1, raw_data: { path, size: buf.length, sha256: createHash('sha256').update(buf).digest('hex') } }))
      .sort((x, y) => (x.raw_id < y.raw_id ? -1 : 1));

    const folder = await run(db(), [join(dir, 'Takeout')]);
    expect(folder.status, folder.errors.join('; ')).toBe('succeeded');
    expect(folder.inserted).toBe(2);
    expect(await otherRows(db())).toEqual(want);

    // The same files given one by one, again with --force, then inside a takeout zip: nothing new.
    for (const files of [[a, b], [a, b], [await writeZip(join(dir, 'takeout-20230317T000000Z-001.zip'), bytes)]]) {
      const again = await run(db(), files, { force: true });
      expect(again.status, again.errors.join('; ')).toBe('succeeded');
      expect(again.inserted).toBe(0);
    }
    expect(await otherRows(db())).toEqual(want);
  });
});

describeOneEngine('google takeout: the export root of a folder without its Takeout/ name', (db) => {
  it('a folder of product folders is the root; a Takeout folder inside My Activity is a product; every file is imported', async () => {
    const dir = join(tempDir(), 'renamed');
    const put = (path: string, content: string | Buffer) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    };
    for (const [from, to] of [
      ['Takeout/Location History/Records.json', 'Location History/Records.json'],
      ['Takeout/Location History/Semantic Location History/2017/2017_DECEMBER.json', 'Location History/Semantic Location History/2017/2017_DECEMBER.json'],
      ['Takeout/My Activity/Drive/MyActivity.html', 'My Activity/Drive/MyActivity.html'],
      ['Takeout/My Activity/Discover/MyActivity.json', 'My Activity/Takeout/MyActivity.json'],
      ['Takeout/Chrome/BrowserHistory.json', 'Chrome/BrowserHistory.json'],
    ]) {
      mkdirSync(dirname(join(dir, to)), { recursive: true });
      copyFileSync(join(TAKEOUT_DIR, from), join(dir, to));
    }
    put('archive_browser.html', '<html><body>Archive</body></html>\n');
    put('Maps (your places)/Reviews.json', '{"type":"FeatureCollection","features":[]}\n');
    await kmz(join(dir, 'My Maps/Trip.kmz'), 'Trip');

    const tree = treeOf(dir);
    const files = Object.keys(tree).length;
    const want = expectedCounts(Object.fromEntries(Object.entries(tree).map(([p, b]) => [`Takeout/${p}`, b])));
    expect(want.my_activity_takeout).toBe(1);
    expect(want.other).toBe(4); // archive_browser.html, BrowserHistory.json, Reviews.json, Trip.kmz

    const r = await run(db(), [dir]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.files.imported).toBe(files);
    expect(await rowsPerStream(db())).toEqual(want);
    const ids = await db().withSession((s) => s.query<{ raw_id: string }>(`SELECT raw_id FROM bronze_google_takeout WHERE stream = 'other' ORDER BY raw_id`));
    expect(ids.map((x) => x.raw_id)).toEqual(['Takeout/Chrome/BrowserHistory.json', 'Takeout/Maps (your places)/Reviews.json', 'Takeout/My Maps/Trip.kmz', 'Takeout/archive_browser.html']);

    // The same tree zipped without a Takeout/ top folder finds the same root: the same ids, nothing new.
    const zip = await run(db(), [await writeZip(join(dirname(dir), 'takeout-20230317T000000Z-001.zip'), tree)]);
    expect(zip.status, zip.errors.join('; ')).toBe('succeeded');
    expect(zip.inserted).toBe(0);
    expect(await rowsPerStream(db())).toEqual(want);
  });
});
