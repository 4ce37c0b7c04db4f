import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import yazl from 'yazl';
import { expect, it } from 'vitest';
import { expectedCounts, fixtureEntries, rowsPerStream, run, tempDir } from './helpers.js';

const DAMAGED = 'Takeout/My Activity/Discover/MyActivity.json';

/** A zip of entries stored as written (no compression): a flipped byte stays one flipped byte. */
async function storedZip(path: string, entries: Record<string, Buffer>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of Object.entries(entries)) zip.addBuffer(bytes, name, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

/**
 * A byte flipped in a stored entry (a disk or a download that alters, not cuts) reads as a
 * plausible value: the real Discover card's time `2021-12-13…` as `2021-92-13…`. The CRC-32
 * once was checked at the entry's end, after its record was committed: the altered record
 * stayed in bronze beside the right one imported later. Now the entry is checked before it is
 * read: nothing of it is stored, the other entries are, and the file fails naming it.
 */
describeEachEngine('google takeout: a zip entry that fails its CRC-32 stores nothing', (db) => {
  it('the damaged entry gives no row; the intact zip then stores it once, as written', async () => {
    const tree = fixtureEntries();
    expect(tree[DAMAGED].toString()).toContain('"time": "2021-12-13T03:04:05.007Z"');
    const dir = tempDir();
    const path = await storedZip(join(dir, 'takeout-20240103T000000Z-001.zip'), tree);
    const bytes = readFileSync(path);
    const at = bytes.indexOf('2021-12-13T03:04:05.007Z');
    expect(bytes.indexOf('2021-12-13T03:04:05.007Z', at + 1)).toBe(-1);
    const intact = Buffer.from(bytes);
    bytes[at + 5] ^= 0x08; // '1' → '9'
    writeFileSync(path, bytes);

    const damaged = await run(db(), [path]);
    expect(damaged.status).toBe('failed');
    expect(damaged.errors.join('\n')).toMatch(/zip entry Takeout\/My Activity\/Discover\/MyActivity\.json: its \d+ bytes do not match the archive's CRC-32 .*: the entry is damaged; nothing of it was read/);
    const { [DAMAGED]: _, ...rest } = tree;
    expect(await rowsPerStream(db())).toEqual(expectedCounts(rest));

    writeFileSync(path, intact);
    const whole = await run(db(), [path]);
    expect(whole.status, whole.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(expectedCounts(tree));
    const altered = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_google_takeout WHERE raw_data::text LIKE '%2021-92-13%'`));
    expect(altered[0].n).toBe(0);
  });
});
