import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '@bronze/core';
import { describeEachEngine } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import source, { htmlInstant, htmlTime, UnknownZone, zoneSetting } from '../src/index.js';
import { run, tempDir } from './helpers.js';

/**
 * `IST` ends the times of real exports from India (a 2024 YouTube search history, a 2022
 * Google Pay activity page: test/fixtures/README.md, read, not copied) and names Irish and
 * Israeli time too, so bronze does not guess it: the user says what it means (--time-zone).
 * The pages below have Google's layout with made-up entries, in both of the time forms.
 */
const cell = (query: string, time: string) =>
  '<div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid"><div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">YouTube<br></p></div>' +
  `<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">Searched for <a href="https://www.youtube.com/results?search_query=${encodeURIComponent(query)}">${query}</a><br>${time}</div>` +
  '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div>' +
  '<div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>&emsp;YouTube<br></div></div></div>';
const page = (cells: string[]) =>
  `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>Search history</title></head><body><div class="mdl-grid">${cells.join('')}</div></body></html>`;

const TIMES = ['Apr 21, 2024, 12:56:48\u202fPM IST', 'Apr 1, 2024, 1:05:08\u202fAM IST', '14 Jun 2022, 13:41:39 IST', '31 Dec 2021, 23:30:00 IST'];
const MORE = ['Mar 3, 2023, 9:15:00\u202fAM IST', '29 Feb 2024, 00:10:00 IST'];

/** The instant as V8's own date parser reads the text with IST spelled as an offset (not bronze's reader). */
const indiaTime = (text: string) => new Date(Date.parse(text.replace(/[\u202f\u00a0]/g, ' ').replace(/ IST$/, ' GMT+0530'))).toISOString();

describe('--time-zone', () => {
  it('reads ABBREVIATION=±HH:MM; anything else is a usage error naming the flag', () => {
    expect(zoneSetting('IST=+05:30')).toEqual(['IST', 330]);
    expect(zoneSetting('AST=-4')).toEqual(['AST', -240]);
    expect(zoneSetting('CST=+0800')).toEqual(['CST', 480]);
    for (const bad of ['IST', 'ist=+05:30', 'IST=05:30', 'IST=+15', 'IST=+05:60', 'IST=+14:30']) {
      expect(() => zoneSetting(bad), bad).toThrow(ConfigError);
      expect(() => zoneSetting(bad), bad).toThrow(/--time-zone .*ABBREVIATION=±HH:MM/);
    }
    expect(source.configure({}, {})).toEqual({});
    expect(source.configure({}, { timeZone: ['IST=+05:30', 'CST=+08:00'] })).toEqual({ timeZones: { IST: 330, CST: 480 } });
    expect(() => source.configure({}, { timeZone: ['IST=+05:30', 'IST=+01:00'] })).toThrow(/given twice/);
  });

  it('a known abbreviation is read as before; an unknown one says how to read it; the user may redefine one', () => {
    expect(htmlTime('Apr 21, 2024, 12:56:48 PM PDT')?.toISOString()).toBe('2024-04-21T19:56:48.000Z');
    expect(htmlInstant('Apr 21, 2024, 12:56:48 PM IST')).toBeUndefined();
    expect(() => htmlTime('Apr 21, 2024, 12:56:48 PM IST')).toThrow(UnknownZone);
    expect(() => htmlTime('Apr 21, 2024, 12:56:48 PM IST')).toThrow("zone IST not read (it names India's, Ireland's and Israel's time): pass --time-zone IST=±HH:MM");
    // Not a time at all, or another language: no instant and nothing to say (the text stays).
    expect(htmlTime('13.12.2021, 03:04:05 MEZ')).toBeUndefined();
    expect(htmlTime('yesterday')).toBeUndefined();
    for (const t of [...TIMES, ...MORE]) expect(htmlTime(t, { IST: 330 })?.toISOString(), t).toBe(indiaTime(t));
    expect(htmlTime('Apr 21, 2024, 12:56:48 PM CST', { CST: 480 })?.toISOString()).toBe('2024-04-21T04:56:48.000Z');
  });
});

describeEachEngine('google takeout: times in IST', (db) => {
  const rowsOf = () =>
    db().withSession((s) =>
      s.query<{ title: string; time: string; ts: string | null; status: string; error: string | null }>(
        `SELECT raw_data->>'title' AS title, raw_data->>'time' AS time, to_char(source_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts,
                validation_status AS status, error_message AS error
           FROM bronze_google_takeout WHERE stream = 'youtube_search_history'`,
      ),
    );

  it('without --time-zone: every entry stored, warning how to read its time; with it: each time read as the offset given', async () => {
    const dir = tempDir();
    const write = (name: string, times: string[]) => {
      const path = join(dir, name, 'Takeout/YouTube and YouTube Music/history/search-history.html');
      mkdirSync(dirname(path), { recursive: true });
      const html = page(times.map((t, i) => cell(`query ${name} ${i}`, t)));
      writeFileSync(path, html);
      // Counted in the page's text, not by bronze's reader.
      expect(html.split('class="outer-cell').length - 1).toBe(times.length);
      return join(dir, name, 'Takeout');
    };
    const first = await run(db(), [write('first', TIMES)]);
    expect(first.status, first.errors.join('; ')).toBe('succeeded');
    expect(first.inserted).toBe(TIMES.length);
    expect(first.warning).toBe(TIMES.length);
    const before = await rowsOf();
    expect(before).toHaveLength(TIMES.length);
    for (const r of before) {
      expect(r.ts).toBeNull();
      expect(r.status).toBe('warning');
      expect(r.error).toMatch(/^timestamp: zone IST not read \(it names India's, Ireland's and Israel's time\): pass --time-zone IST=±HH:MM/);
    }

    // The same entries again with the zone given: the records are unchanged, so nothing is
    // stored again (their source_timestamp stays empty: rows are never rewritten).
    const again = await run(db(), [write('first', TIMES)], { options: { timeZone: ['IST=+05:30'] } });
    expect(again.status, again.errors.join('; ')).toBe('succeeded');
    expect(again.inserted).toBe(0);

    const more = await run(db(), [write('more', MORE)], { options: { timeZone: ['IST=+05:30'] } });
    expect(more.status, more.errors.join('; ')).toBe('succeeded');
    expect(more.inserted).toBe(MORE.length);
    expect(more.warning).toBe(0);
    const after = (await rowsOf()).filter((r) => r.title.startsWith('Searched for query more'));
    expect(Object.fromEntries(after.map((r) => [r.title, [r.ts, r.status]]))).toEqual(
      Object.fromEntries(MORE.map((t, i) => [`Searched for query more ${i}`, [indiaTime(t), 'valid']])),
    );
  });
});
