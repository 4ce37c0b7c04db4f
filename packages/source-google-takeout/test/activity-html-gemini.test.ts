import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { parseActivityCell } from '../src/index.js';
import { expectedCounts, rowsPerStream, run, tempDir, treeOf, writeZip } from './helpers.js';

/**
 * `My Activity/Gemini Apps/MyActivity.html` (2025–2026): the body cell holds the prompt, its
 * attachments, the time, and then Gemini's answer as HTML (`<p>`, `<h3>`, `<ul>`…), closed by a
 * `<br>`. The layout is the one of a real page seen in a public repository (fixtures/README.md,
 * "Real exports read, not copied"); the prompts and answers here are made up.
 */
const WHY = 'This activity was saved to your Google Account because the following settings were on:&nbsp;Gemini Apps Activity.&nbsp;You can control these settings &nbsp;<a href="https://myaccount.google.com/activitycontrols">here</a>.';

const cell = (body: string) =>
  '<div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid"><div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">Gemini Apps<br></p></div>' +
  `<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">${body}</div>` +
  '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div>' +
  `<div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>&emsp;Gemini Apps<br><b>Why is this here?</b><br>&emsp;${WHY}</div></div></div>`;

/** Each entry: the prompt's lines, the time, the answer's HTML as the page writes it. */
const ENTRIES = [
  {
    lines: 'Prompted How do I export my data?<br><a href="https://takeout.google.com/?pli=1">https://takeout.google.com/?pli=1</a>',
    time: 'Jul 11, 2026, 12:00:47 PM MDT',
    answer: '<p>Use <strong>Takeout</strong> and pick &quot;My Activity&quot;.</p>\n<p>Choose JSON if you&#39;d rather not parse HTML.</p>',
  },
  {
    lines: 'Prompted List three rivers',
    time: 'Jul 10, 2026, 11:55:29 PM MDT',
    // An answer with a div of its own: the first `</div>` ended the body cell there.
    answer: '<h3>Rivers</h3>\n<ul>\n<li>Rhine</li>\n<li>Danube</li>\n</ul>\n<div><pre><code>rivers = 3</code></pre></div>\n<p>The third is the Elbe.</p>',
  },
  {
    lines: 'Prompted draw a heron<br>1 generated image.',
    time: 'Jul 10, 2026, 8:31:15 PM MDT',
    answer: '<p><img alt="" src="10618735082309819750-dfbf8f6d1499c15d.png"></p>',
  },
];

const page = () =>
  `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>My Activity</title></head><body><div class="mdl-grid">${ENTRIES.map((e) => cell(`${e.lines}<br>${e.time}<br>${e.answer}\n<br>`)).join('')}</div></body></html>`;

it('the time is the line above the answer; the answer is kept as its HTML (safeHtmlItem), not read as the time', () => {
  const [e] = ENTRIES;
  expect(parseActivityCell(cell(`${e.lines}<br>${e.time}<br>${e.answer}\n<br>`))).toMatchObject({
    header: 'Gemini Apps',
    title: 'Prompted How do I export my data?',
    time: 'Jul 11, 2026, 12:00:47 PM MDT',
    subtitles: [{ name: 'https://takeout.google.com/?pli=1', url: 'https://takeout.google.com/?pli=1' }],
    safeHtmlItem: [{ html: e.answer }],
    products: ['Gemini Apps'],
  });
});

describeEachEngine('google takeout: Gemini Apps MyActivity.html, answers below the time', (db) => {
  it('rows = entries of the page, each with its time, source_timestamp and whole answer; the zip gives the same rows', async () => {
    const dir = tempDir();
    const tree = { 'Takeout/My Activity/Gemini Apps/MyActivity.html': Buffer.from(page()) };
    for (const [path, bytes] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const want = expectedCounts(treeOf(dir));
    expect(want).toEqual({ my_activity_gemini_apps: 3 });

    const folder = await run(db(), [join(dir, 'Takeout')]);
    expect(folder.status, folder.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(want);
    const rows = await db().withSession((s) =>
      s.query<{ raw_data: { time: string; safeHtmlItem?: { html: string }[] }; ts: string | null }>(
        `SELECT raw_data, source_timestamp::text AS ts FROM bronze_google_takeout ORDER BY (metadata->>'index')::int`,
      ),
    );
    expect(rows.map((r) => r.raw_data.time)).toEqual(ENTRIES.map((e) => e.time));
    expect(rows.map((r) => r.raw_data.safeHtmlItem)).toEqual(ENTRIES.map((e) => [{ html: e.answer }]));
    for (const r of rows) expect(r.ts).not.toBeNull();

    const zip = await run(db(), [await writeZip(join(dir, 'takeout-20260711T000000Z-001.zip'), tree)]);
    expect(zip.status, zip.errors.join('; ')).toBe('succeeded');
    expect(zip.inserted).toBe(0);
    expect(await rowsPerStream(db())).toEqual(want);
  });
});
