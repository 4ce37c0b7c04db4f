import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { parseActivityCell } from '../src/index.js';
import { expectedCounts, rowsPerStream, run, tempDir, treeOf, writeZip } from './helpers.js';

/**
 * The caption of YouTube history and My Activity pages of 2024 and 2025: `<b>Products:</b>`, then
 * `<b>Why is this here?</b>` with no colon and Google's sentence on the activity control.
 * The layout is Google's, as in the real exports listed in fixtures/README.md ("Real
 * exports read, not copied"); the searches are made up, the sentence is Google's page text.
 */
const WHY = 'This activity was saved to your Google Account because the following settings were on:&nbsp;YouTube search history.&nbsp;You can control these settings &nbsp;<a href="https://myaccount.google.com/activitycontrols">here</a>.';
const WHY_TEXT = 'This activity was saved to your Google Account because the following settings were on: YouTube search history. You can control these settings here.';

const cell = (query: string, time: string) =>
  '<div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid"><div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">YouTube<br></p></div>' +
  `<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">Searched for <a href="https://www.youtube.com/results?search_query=${encodeURIComponent(query)}">${query}</a><br>${time}</div>` +
  '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div>' +
  `<div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>&emsp;YouTube<br><b>Why is this here?</b><br>&emsp;${WHY}</div></div></div>`;

const page = (cells: string[]) =>
  `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>Search history</title></head><body><div class="mdl-grid">${cells.join('')}</div></body></html>`;

it('a caption section without a colon is its own section, not more products', () => {
  expect(parseActivityCell(cell('bronze layer', 'Apr 21, 2024, 12:56:48 PM UTC'))).toEqual({
    header: 'YouTube',
    title: 'Searched for bronze layer',
    titleUrl: 'https://www.youtube.com/results?search_query=bronze%20layer',
    time: 'Apr 21, 2024, 12:56:48 PM UTC',
    products: ['YouTube'],
    details: [{ name: `Why is this here? ${WHY_TEXT}` }],
  });
});

describeEachEngine('google takeout: YouTube search-history.html with the "Why is this here?" caption', (db) => {
  it('rows = entries of the page, each with its one product and the caption text kept in details; the zip gives the same rows', async () => {
    const dir = tempDir();
    const tree = {
      'Takeout/YouTube and YouTube Music/history/search-history.html': Buffer.from(
        page([cell('bronze layer', 'Apr 21, 2024, 12:56:48 PM UTC'), cell('jsonb', 'Apr 21, 2024, 12:36:28 PM UTC'), cell('takeout', 'Dec 8, 2023, 11:54:41 PM GMT')]),
      ),
    };
    for (const [path, bytes] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const want = expectedCounts(treeOf(dir));
    expect(want.youtube_search_history).toBe(3);

    const folder = await run(db(), [join(dir, 'Takeout')]);
    expect(folder.status, folder.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(want);
    const rows = await db().withSession((s) =>
      s.query<{ raw_data: { products: string[]; details: { name: string }[] }; ts: string | null }>(`SELECT raw_data, source_timestamp::text AS ts FROM bronze_google_takeout WHERE stream = 'youtube_search_history'`),
    );
    for (const r of rows) {
      expect(r.raw_data.products).toEqual(['YouTube']);
      expect(r.raw_data.details).toEqual([{ name: `Why is this here? ${WHY_TEXT}` }]);
      expect(r.ts).not.toBeNull();
    }

    const zip = await run(db(), [await writeZip(join(dir, 'takeout-20240421T000000Z-001.zip'), tree)]);
    expect(zip.status, zip.errors.join('; ')).toBe('succeeded');
    expect(zip.inserted).toBe(0);
    expect(await rowsPerStream(db())).toEqual(want);
  });
});
