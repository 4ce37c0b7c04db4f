import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { generateTakeout } from '../src/index.js';
import { expectedCounts, materialize, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

const RECORDS = 'Takeout/Location History/Records.json';

describeOneEngine('google takeout: damaged and incomplete exports', (db) => {
  it('a zip cut inside Records.json keeps the entries before it and the locations read, names the entry and offset, and fails', async () => {
    const dir = tempDir();
    const entries = await materialize(generateTakeout({ locations: 3000, semantic: 10, activities: 10, subscriptions: 2, fitDays: 1 }));
    const whole = readFileSync(await writeZip(join(dir, 'whole.zip'), entries));
    const header = whole.indexOf(Buffer.from(RECORDS)) - 30;
    const cutAt = header + 30 + RECORDS.length + 40_000; // well inside Records.json's compressed data
    const cut = join(dir, 'takeout-20240101T000000Z-001.zip');
    writeFileSync(cut, whole.subarray(0, cutAt));

    const r = await run(db(), [cut]);
    expect(r.status).toBe('failed');
    expect(r.errors.join('; ')).toContain(`zip entry ${RECORDS} (local header at byte ${header})`);
    expect(r.errors.join('; ')).toContain(`cut short at byte ${cutAt}`);
    const rows = await rowsPerStream(db());
    expect(rows.other).toBe(1); // archive_browser.html, the entry before Records.json
    expect(rows.locations).toBeGreaterThan(100);
    expect(rows.locations).toBeLessThan(expectedCounts(entries).locations);
    const file = await db().withSession((s) => s.query<{ status: string; error: string }>(`SELECT status, error FROM bronze_files WHERE path = $1`, [cut]));
    expect(file[0].status).toBe('failed');

    // The whole download later: the rest is added, nothing twice.
    writeFileSync(cut, whole);
    const again = await run(db(), [cut]);
    expect(again.status, again.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(expectedCounts(entries));
  });

  it('a part missing from a multi-part export is named in the summary', async () => {
    const dir = tempDir();
    const entries = await materialize(generateTakeout({ locations: 5, semantic: 0, activities: 3, subscriptions: 0, fitDays: 0 }));
    const names = Object.keys(entries);
    const half = Math.ceil(names.length / 2);
    const part = (list: string[]) => Object.fromEntries(list.map((n) => [n, entries[n]]));
    const p1 = await writeZip(join(dir, 'takeout-20240301T101010Z-001.zip'), part(names.slice(0, half)));
    const p3 = await writeZip(join(dir, 'takeout-20240301T101010Z-003.zip'), part(names.slice(half)));
    const r = await run(db(), [p1, p3]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.notes).toContain('takeout-20240301T101010Z: part(s) 002 of this export are not beside its other parts (found 001, 003); their files are not imported — download and import them');
    expect(r.notes.filter((n) => n.includes('part(s)')).length).toBe(1); // said once, not once per part
    // The generator's subscriptions.csv without subscriptions is a header alone: named too.
    expect(r.notes.filter((n) => n.includes('gave 0 records'))).toEqual([expect.stringContaining('(Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv)')]);
  });
});

describeOneEngine('google takeout: a damaged entry', (db) => {
  it('a damaged entry of a whole zip does not stop the others; the file fails naming it', async () => {
    const entries = await materialize(generateTakeout({ locations: 50, semantic: 0, activities: 30, subscriptions: 3, fitDays: 1 }));
    const broken = 'Takeout/My Activity/Search/MyActivity.json';
    const text = entries[broken].toString();
    entries[broken] = Buffer.from(text.slice(0, text.length / 2)); // JSON cut in the middle
    const zip = await writeZip(join(tempDir(), 'takeout-20240201T000000Z-001.zip'), entries);
    const r = await run(db(), [zip]);
    expect(r.status).toBe('failed');
    expect(r.errors.join('; ')).toMatch(/1 file\(s\) of the export could not be read whole.*MyActivity\.json: not valid JSON at line \d+/);
    const after = await rowsPerStream(db());
    const want = expectedCounts({ ...entries, [broken]: Buffer.from('[]') });
    // every other entry stored whole, the broken one up to its damage
    expect(after.youtube_watch_history).toBe(want.youtube_watch_history);
    expect(after.my_activity_search).toBeGreaterThan(5);
    expect(after.my_activity_search).toBeLessThan(30);
  });
});
