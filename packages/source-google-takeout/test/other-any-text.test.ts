import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { expectedCounts, FIXTURES, fixtureEntries, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

// Drive holds whatever files its owner kept there, of any name, and Blogger writes its posts as
// `feed.atom`: a text file no stream reads keeps its text in `other` whatever its extension; a
// binary file keeps its path, size and sha256.
const OPML = readFileSync(join(FIXTURES, 'drive/states.opml'));
const FIT = readFileSync(join(FIXTURES, 'drive/ride.fit'));

describeEachEngine('google takeout: `other` keeps the text of a file by its content, not its extension', (db) => {
  it('a real OPML file and the same text under other names keep their text; a real FIT file its identity', async () => {
    const texts = { 'Takeout/Drive/states.opml': OPML, 'Takeout/Blogger/Blogs/States/feed.atom': OPML, 'Takeout/Drive/README': OPML };
    const entries = { ...fixtureEntries(), ...texts, 'Takeout/Drive/ride.fit': FIT };
    const zip = await writeZip(join(tempDir(), 'takeout-20240101T000000Z-001.zip'), entries);
    const result = await run(db(), [zip]);
    expect(result.status, result.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(expectedCounts(entries));
    const rows = await db().withSession((s) =>
      s.query<{ raw_id: string; raw_data: { path: string; size: number; sha256: string; content?: string } }>(
        `SELECT raw_id, raw_data FROM bronze_google_takeout WHERE stream = 'other' AND (raw_id LIKE 'Takeout/Drive/%' OR raw_id LIKE 'Takeout/Blogger/%') ORDER BY raw_id`,
      ),
    );
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(rows.map((r) => r.raw_id)).toEqual(['Takeout/Blogger/Blogs/States/feed.atom', 'Takeout/Drive/README', 'Takeout/Drive/ride.fit', 'Takeout/Drive/states.opml']);
    for (const r of rows.filter((x) => x.raw_id in texts)) {
      expect(r.raw_data).toEqual({ path: r.raw_id, size: OPML.length, sha256: sha(OPML), content: OPML.toString('utf8') });
      expect(Buffer.from(r.raw_data.content!)).toEqual(OPML);
    }
    // A FIT file holds NUL bytes: binary, kept as its identity alone.
    expect(rows.find((r) => r.raw_id === 'Takeout/Drive/ride.fit')!.raw_data).toEqual({ path: 'Takeout/Drive/ride.fit', size: FIT.length, sha256: sha(FIT) });
  });
});
