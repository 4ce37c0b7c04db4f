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
const historyJson = fixture('StreamingHistory0.json');
const plays = JSON.parse(historyJson.toString('utf8')) as unknown[];
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

  it("each tweet is keyed by its id and dated by its created_at, one level down in {\"tweet\": {…}}: a re-export whose counts changed stores new versions, not new records", async () => {
    type Tweet = { tweet: { id: string; created_at: string; favorite_count: string } };
    const stream = `tweets_ids_${engine}`;
    const r = await run(db(), [file(`${stream}.js`, tweetsJs)]);
    expect(r.notes).toContain(`${stream}.js: source_timestamp from tweet.created_at`);
    const stored = await rows(db(), stream);
    // Counted apart: the ids and dates as the archive writes them ("Mon May 13 08:15:02 +0000 2024").
    const expected = (tweets as Tweet[]).map((t) => {
      const [, mon, d, time, zone, y] = /^\w{3} (\w{3}) (\d{2}) (\S+) ([+-]\d{4}) (\d{4})$/.exec(t.tweet.created_at)!;
      return { id: t.tweet.id, at: new Date(`${d} ${mon} ${y} ${time} GMT${zone}`).toISOString() };
    });
    expect(stored.map((x) => ({ id: x.raw_id, at: x.source_timestamp?.toISOString() })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected);
    // The next export: the same tweets, one liked more. Before, raw_id was the row's hash: a 4th record.
    const liked = (tweets as Tweet[]).map((t, i) => (i === 1 ? { tweet: { ...t.tweet, favorite_count: String(Number(t.tweet.favorite_count) + 5) } } : t));
    const again = await run(db(), [file(`${stream}.js`, `window.YTD.tweets.part0 = ${JSON.stringify(liked, null, 2)}`)]);
    expect(again).toMatchObject({ status: 'succeeded', inserted: 1, newVersion: 1, unchanged: 2 });
    const after = await rows(db(), stream);
    expect(after.filter((x) => x.raw_id === expected[1].id).map((x) => x.version)).toEqual([1, 2]);
    // --id-field and --timestamp-field reach one level down too; a wrapper without an id keeps the row's hash.
    // (A field other than the default's, so the flag's own path is what keys the rows.)
    const byDate = await run(db(), [file(`tweets_bydate_${engine}.js`, tweetsJs)], { options: { idField: 'tweet.created_at' } });
    expect(byDate).toMatchObject({ status: 'succeeded', inserted: 3, invalid: 0 });
    expect((await rows(db(), `tweets_bydate_${engine}`)).map((x) => x.raw_id).sort()).toEqual((tweets as Tweet[]).map((t) => t.tweet.created_at).sort());
    const missing = await run(db(), [file(`tweets_noid_${engine}.js`, tweetsJs)], { options: { idField: 'tweet.nope' } });
    expect(missing).toMatchObject({ inserted: 3, invalid: 3 });
    const likes = await run(db(), [file(`like_${engine}.js`, 'window.YTD.like.part0 = [{"like": {"tweetId": "17", "fullText": "x"}}]')]);
    expect(likes.inserted).toBe(1);
    expect((await rows(db(), `like_${engine}`))[0].raw_id).toMatch(/^row:[0-9a-f]{64}#1$/);
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

  it('a .jsonl that is one JSON array printed over many lines is read as that document: one record per item, said in the summary', async () => {
    expect(plays).toHaveLength(6);
    const stream = `plays_pretty_${engine}`;
    const r = await run(db(), [file(`${stream}.jsonl`, historyJson)]);
    expect(r.errors).toEqual([]);
    // Before: each of the file's 38 lines a record, `{` and `"endTime": …,` invalid.
    expect(r).toMatchObject({ status: 'succeeded', inserted: plays.length, invalid: 0 });
    expect(r.notes).toContain(`${stream}.jsonl: one JSON document over several lines (an array or object printed with indentation), not one JSON value per line: read as a .json document`);
    const stored = await rows(db(), stream);
    expect(stored.map((x) => x.raw_data)).toEqual(expect.arrayContaining(plays));
    expect(stored.map((x) => x.metadata?.path).sort()).toEqual(['/0', '/1', '/2', '/3', '/4', '/5']);
    // A document cut short is no document: every line kept, as lines, the broken ones invalid.
    const cut = historyJson.toString('utf8').slice(0, 200);
    const lines = cut.split('\n').filter((l) => l.trim() !== '').length;
    const broken = await run(db(), [file(`plays_cut_${engine}.jsonl`, cut)]);
    expect(broken).toMatchObject({ status: 'succeeded', inserted: lines });
    expect(broken.notes.join(' ')).not.toContain('one JSON document over several lines');
    // A first line that is broken, then lines: lines, as before.
    const mixed = await run(db(), [file(`lines_first_broken_${engine}.jsonl`, '{"a": \n{"a": 2}\n{"a": 3}\n')]);
    expect(mixed).toMatchObject({ status: 'succeeded', inserted: 3, invalid: 1 });
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
