import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { CONTENT_BYTES } from '../src/parts/other-file.js';
import { FIXTURES, rowsPerStream, run, TAKEOUT_DIR, tempDir, writeZip } from './helpers.js';

/**
 * Folders no stream knows (README *Limits*): every file goes to `other`, and one over 16 MiB
 * kept only its path, size and sha256. The files are real samples (fixtures/README.md): Chrome's
 * history and YouTube comments under the names a German Takeout gives them (google_takeout_parser's
 * RecentTakeout_ger), and Records.json under a made-up folder `Standortverlauf/` (a real German
 * export keeps `Location History (Timeline)/`, which is read), made larger than the limit with JSON whitespace after
 * the array's `[` and with blank lines after the CSV's rows (real exports end so): the
 * records are the samples' own, nothing is generated.
 */
const PAD = CONTENT_BYTES + 1;
const HISTORY = readFileSync(join(FIXTURES, 'large-other', 'BrowserHistory.json'), 'utf8');
const RECORDS = readFileSync(join(TAKEOUT_DIR, 'Takeout', 'Location History', 'Records.json'), 'utf8');
const COMMENTS = readFileSync(join(FIXTURES, 'large-other', 'comments.csv'), 'utf8');
const padJson = (text: string) => Buffer.from(`${text.slice(0, text.indexOf('[') + 1)}${' '.repeat(PAD)}${text.slice(text.indexOf('[') + 1)}`);

const VERLAUF = 'Takeout/Chrome/Verlauf.json';
const STANDORT = 'Takeout/Standortverlauf/Records.json';
const KOMMENTARE = 'Takeout/YouTube und YouTube Music/Kommentare/Kommentare.csv';
const german = (history = HISTORY, comments = COMMENTS) => ({ [VERLAUF]: padJson(history), [STANDORT]: padJson(RECORDS), [KOMMENTARE]: Buffer.from(comments + '\n'.repeat(PAD)) });

// Counted with JSON.parse (python3's json and csv modules agree: 7 visits, 3 locations, 2 comments).
const visits = JSON.parse(HISTORY)['Browser History'] as unknown[];
const locations = JSON.parse(RECORDS).locations as unknown[];
const COMMENT_ROWS = 2;
const total = visits.length + locations.length + COMMENT_ROWS + 3; // + one identity row per file

type Row = { raw_id: string; raw_data: Record<string, unknown> };
const otherRows = (db: Parameters<typeof rowsPerStream>[0], path: string) =>
  db.withSession((s) => s.query<Row>(`SELECT raw_id, raw_data FROM bronze_google_takeout WHERE stream = 'other' AND raw_data->>'path' = $1 ORDER BY (metadata->>'index')::int NULLS LAST, (metadata->>'line')::int`, [path]));

describeOneEngine('google takeout: a localised export with files over the content limit', (db) => {
  it('every visit, location and comment is a row of `other`, beside each file’s identity row', async () => {
    const entries = german();
    for (const bytes of Object.values(entries)) expect(bytes.length).toBeGreaterThan(CONTENT_BYTES);
    const result = await run(db(), [await writeZip(join(tempDir(), 'takeout-20240101T000000Z-001.zip'), entries)]);
    expect(result.status, result.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual({ other: total });
    expect(result.invalid + result.warning).toBe(0);

    const history = await otherRows(db(), VERLAUF);
    expect(history.slice(0, -1).map((r) => r.raw_data)).toEqual(visits.map((element) => ({ path: VERLAUF, key: 'Browser History', element })));
    expect(history.at(-1)!.raw_data).toMatchObject({ path: VERLAUF, size: entries[VERLAUF].length });
    expect(history.at(-1)!.raw_id).toBe(VERLAUF);
    const records = await otherRows(db(), STANDORT);
    expect(records.slice(0, -1).map((r) => r.raw_data.element)).toEqual(locations);
    expect(records.map((r) => r.raw_id).every((id) => id === STANDORT || id.startsWith(`${STANDORT}|locations|sha256:`))).toBe(true);
    const exact = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_google_takeout WHERE raw_data::text LIKE '%-8024144696862913506%'`));
    expect(exact[0].n).toBe(1); // a deviceTag past 2^53, exact
    const comments = await otherRows(db(), KOMMENTARE);
    expect(comments.slice(0, -1).map((r) => (r.raw_data.row as Record<string, string>)['Comment ID'])).toEqual(['UgytHqobEtqoKm_-pYB4AaABAg', 'UgiNMzGz_nAsjXfCoAEC']);
  });

  it('a later export holding the same files adds nothing', async () => {
    const again = await run(db(), [await writeZip(join(tempDir(), 'takeout-20240601T000000Z-001.zip'), german())]);
    expect(again.status, again.errors.join('; ')).toBe('succeeded');
    expect(again.inserted).toBe(0);
    expect(again.unchanged).toBe(total);
    expect(await rowsPerStream(db())).toEqual({ other: total });
  });
});

describeOneEngine('google takeout: a later, larger export of a file over the content limit', (db) => {
  it('adds only the new visits and comments (the newest written first) and a version of each identity row', async () => {
    const doc = (n: number) => JSON.stringify({ 'Browser History': visits.slice(visits.length - n) }, null, 2);
    // The real CSV without its first comment (the header, then the second one's line on).
    const lines = COMMENTS.split('\n');
    const fewer = [lines[0], ...lines.slice(lines.findIndex((l) => l.includes('UgiNMzGz_nAsjXfCoAEC')))].join('\n');
    const first = await run(db(), [await writeZip(join(tempDir(), 'takeout-20240101T000000Z-001.zip'), german(doc(5), fewer))]);
    expect(first.status, first.errors.join('; ')).toBe('succeeded');
    expect(first.inserted).toBe(total - 3);
    const later = await run(db(), [await writeZip(join(tempDir(), 'takeout-20240601T000000Z-001.zip'), german(doc(7)))]);
    expect(later.status, later.errors.join('; ')).toBe('succeeded');
    // Two new visits ahead of the five known ones and a new comment above the known one (indexes and
    // lines all shift), and the two files' new size and hash (inserted counts new versions too).
    expect(later.newVersion).toBe(2);
    expect(later.inserted).toBe(3 + 2);
    expect(later.unchanged).toBe(total - 5);
    expect(await rowsPerStream(db())).toEqual({ other: total + 2 });
  });
});
