import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { expectedCounts, FIXTURES, fixtureEntries, rowsPerStream, run, tempDir, TAKEOUT_DIR, writeZip } from './helpers.js';

describeOneEngine('google takeout: real samples', (db) => {
  it('a takeout zip: rows per stream = elements per stream (counted with JSON.parse), a non-Takeout file in `other`', async () => {
    const entries = { ...fixtureEntries(), 'Takeout/notes/not-takeout.txt': Buffer.from('a file Google never writes\n') };
    const zip = await writeZip(join(tempDir(), 'takeout-20240101T000000Z-001.zip'), entries);
    const result = await run(db(), [zip]);
    expect(result.status, result.errors.join('; ')).toBe('succeeded');
    const expected = expectedCounts(entries);
    expect(expected.other).toBe(2); // BrowserHistory.json and the stray text file
    expect(await rowsPerStream(db())).toEqual(expected);
    const stray = await db().withSession((s) => s.query<{ raw_data: { path: string; size: number; content: string } }>(`SELECT raw_data FROM bronze_google_takeout WHERE stream = 'other' AND raw_id = 'Takeout/notes/not-takeout.txt'`));
    expect(stray[0].raw_data).toMatchObject({ path: 'Takeout/notes/not-takeout.txt', size: 27, content: 'a file Google never writes\n' });
  });

  it('Records.json with both timestampMs and timestamp: every location row has its source_timestamp', async () => {
    const rows = await db().withSession((s) =>
      s.query<{ raw_id: string; ts: string | null; raw: string }>(`SELECT raw_id, source_timestamp::text AS ts, raw_data::text AS raw FROM bronze_google_takeout WHERE stream = 'locations' ORDER BY raw_id`),
    );
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.ts !== null)).toBe(true);
    expect(rows.some((r) => r.raw.includes('"timestampMs"'))).toBe(true);
    expect(rows.some((r) => r.raw.includes('"timestamp"'))).toBe(true);
    // The old and the new form of one point share the instant and place: the second is counted, not merged.
    expect(rows.map((r) => r.raw_id)).toEqual(['2014-07-18T14:59:59.914Z|351324213|-1122434441', '2017-12-10T23:14:58.030Z|351324213|-1122434441', '2017-12-10T23:14:58.030Z|351324213|-1122434441#2']);
    expect(rows.find((r) => r.raw.includes('-8024144696862913506'))).toBeDefined(); // a deviceTag past 2^53, exact
  });

  it('the HTML My Activity is parsed to entries with their instants', async () => {
    const rows = await db().withSession((s) =>
      s.query<{ raw_data: { title: string; time: string; products: string[] }; epoch: number }>(`SELECT raw_data, extract(epoch from source_timestamp)::float8 AS epoch FROM bronze_google_takeout WHERE stream = 'my_activity_drive' ORDER BY source_timestamp`),
    );
    expect(rows.map((r) => r.raw_data.title)).toEqual(['Visited Get support with Premium memberships & purchases - YouTube Help', '1 notification', '6 cards in your feed']);
    // google_takeout_parser's own test: "Sep 4, 2020, 11:01:46 AM PDT" is 1599242506.
    expect(rows[2].epoch).toBe(1599242506);
    expect(rows[0].raw_data.products).toEqual(['YouTube']);
  });

  it('the unpacked folder and the on-device Timeline.json give the same rows', async () => {
    const result = await run(db(), [TAKEOUT_DIR, join(FIXTURES, 'Timeline.json')]);
    expect(result.status, result.errors.join('; ')).toBe('succeeded');
    // The unpacked files hold the same records as the zip: nothing new; Timeline.json adds its own.
    const expected = expectedCounts({ ...fixtureEntries(), 'Takeout/notes/not-takeout.txt': Buffer.from(''), 'Timeline.json': Buffer.from(JSON.stringify(await import('./fixtures/Timeline.json', { with: { type: 'json' } }).then((m) => m.default))) });
    expect(result.inserted).toBe(expected.timeline_segments + expected.timeline_raw_signals + expected.timeline_profile);
    expect(await rowsPerStream(db())).toEqual(expected);
  });
});
