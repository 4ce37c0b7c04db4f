import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));

// Counted apart from bronze's reader: the text after the archive's `=`, and non-blank lines.
const tweetsJs = fixture('twitter-archive/tweets.js');
const tweets = JSON.parse(tweetsJs.toString('utf8').replace(/^window\.YTD\.tweets\.part0 =/, '')) as unknown[];
const discordJson = fixture('discord-activity-events.json');
const events = discordJson.toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);

describeOneEngine('app exports in JSON that are not one plain JSON document', (db, engine) => {
  it("a Twitter/X archive's data/tweets.js (window.YTD.tweets.part0 = [...]) gives one record per tweet, unchanged", async () => {
    expect(tweets).toHaveLength(3);
    const stream = `tweets_${engine}`;
    const r = await run(db(), [file(`${stream}.js`, tweetsJs)]);
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: tweets.length, invalid: 0 });
    expect(r.notes).toContain(`${stream}.js: the JSON after "window.YTD.tweets.part0 =" (a Twitter/X archive's data file) read as the document`);
    const stored = await rows(db(), stream);
    expect(stored.map((x) => x.metadata?.path).sort()).toEqual(['/0', '/1', '/2']);
    expect(stored.map((x) => x.validation_status)).toEqual(['valid', 'valid', 'valid']);
    for (const x of stored) expect(x.raw_data).toEqual(tweets[Number(String(x.metadata?.path).slice(1))]);
    // Escapes, a surrogate pair written as \uD83D\uDEB2, and characters beyond the BMP, exact.
    expect(JSON.stringify(stored.find((x) => x.metadata?.path === '/0')?.raw_data)).toContain('First ride of the year 🚲 – 42 km, \\"legs\\" say no.\\nMore tomorrow 🌧️');
  });

  it('the same file renamed .json, gzipped, or with a closing ";" reads the same; other JavaScript is refused saying why', async () => {
    const text = tweetsJs.toString('utf8');
    for (const [name, bytes] of [[`tweets_renamed_${engine}.json`, tweetsJs], [`tweets_gz_${engine}.js.gz`, gzipSync(tweetsJs)], [`tweets_semi_${engine}.js`, `${text.trimEnd()};\n`]] as const) {
      const r = await run(db(), [file(name, bytes)]);
      expect(r, name).toMatchObject({ status: 'succeeded', inserted: tweets.length, invalid: 0 });
    }
    const code = await run(db(), [file(`script_${engine}.js`, 'console.log("hi");\n')]);
    expect(code.status).toBe('failed');
    expect(code.errors[0]).toMatch(/script_.*\.js: is JavaScript, not JSON: .*window\.YTD\.tweets\.part0/);
  });

  it("Discord's activity/*.json (one event per line, named .json) is read as JSON Lines: every line a record, said in the summary", async () => {
    expect(events).toHaveLength(5);
    const stream = `discord_events_${engine}`;
    const r = await run(db(), [file(`${stream}.json`, discordJson)]);
    expect(r.errors).toEqual([]);
    // The first and last lines are the same event: two records (#1, #2), as equal rows are.
    expect(r).toMatchObject({ status: 'succeeded', inserted: events.length, invalid: 0 });
    expect(r.notes).toContain(`${stream}.json: one JSON value per line (JSON Lines), not one JSON document: read as JSON Lines, one record per line (a .jsonl or .ndjson name says so)`);
    const stored = await rows(db(), stream);
    expect(stored.map((x) => x.metadata?.line)).toEqual([1, 2, 3, 4, 5]);
    expect(stored.map((x) => x.raw_data)).toEqual(events);
    expect(stored.map((x) => x.raw_id.replace(/^row:[0-9a-f]{64}/, 'row'))).toEqual(['row#1', 'row#1', 'row#1', 'row#1', 'row#2']);
  });

  it('a .json of lines with a broken line keeps every line: the broken one invalid, its text kept', async () => {
    const stream = `lines_broken_${engine}`;
    const r = await run(db(), [file(`${stream}.json`, '{"a": 1}\n{"a": 2\n{"a": 3}\n')]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3, invalid: 1 });
    expect((await rows(db(), stream)).map((x) => [x.validation_status, x.raw_data])).toEqual([
      ['valid', { a: 1 }],
      ['invalid', { line: 2, text: '{"a": 2' }],
      ['valid', { a: 3 }],
    ]);
  });

  it('a JSON document broken inside is still refused (its first line is no whole value): nothing read as lines', async () => {
    const r = await run(db(), [file(`broken_doc_${engine}.json`, '{"a": 1,\n "b": 2}\n{"c": 3}\n')]);
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatch(/broken_doc_.*\.json: not valid JSON at line 3/);
  });

  it('an object stored whole (Garmin HRV) says which arrays it holds and the --records-path that splits them', async () => {
    const hrv = fixture('garmin-hrv.json');
    const readings = (JSON.parse(hrv.toString('utf8')) as { hrvReadings: unknown[] }).hrvReadings.length;
    const stream = `hrv_whole_${engine}`;
    const r = await run(db(), [file(`${stream}.json`, hrv)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(r.notes).toContain(`${stream}.json: stored as one record, the whole object (its top level is an object, not an array); it holds the array /hrvReadings (${readings} items): for one record per item, import it again with --records-path /hrvReadings --force`);
    const split = await run(db(), [file(`${stream}.json`, hrv)], { options: { recordsPath: '/hrvReadings' }, force: true });
    expect(split).toMatchObject({ status: 'succeeded', inserted: readings + 1 });
  });
});
