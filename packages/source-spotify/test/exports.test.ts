import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { extendedPlayId } from '../src/play-ids.js';
import { accountDataEntries, EXTENDED_PLAYS, fixture, playsFile, rowsPerStream, run, tempDir, VIDEO_PLAY, writeZip } from './helpers/exports.js';

interface Row { stream: string; raw_id: string; raw_data: Record<string, unknown>; validation_status: string; error_message: string | null; source_timestamp: Date | null }

const count = (text: string, needle: string) => text.split(needle).length - 1;
const EXT = 'Spotify Extended Streaming History/';

describeOneEngine('Spotify exports', (db) => {
  const rows = (where: string) => db().withSession((s) => s.query<Row>(`SELECT stream, raw_id, raw_data, validation_status, error_message, source_timestamp FROM bronze_spotify WHERE ${where} ORDER BY stream, raw_id`));

  it('account data: every file to its stream, a non-Spotify JSON and the PDF to `other`; rows = elements', async () => {
    const entries = accountDataEntries();
    const zip = await writeZip(join(tempDir(), 'my_spotify_data.zip'), entries);
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const history = entries['Spotify Account Data/StreamingHistory_music_0.json'] as string;
    expect(await rowsPerStream(db())).toEqual({
      streaming_history: count(history, '"endTime"'),
      your_library: 1,
      playlist: 1,
      search_queries: count(entries['Spotify Account Data/SearchQueries.json'] as string, '"searchQuery"'),
      identity: 1,
      other: 2 + 1, // the other app's two notes, and Read_Me_First.pdf
    });
    expect((await rows(`stream = 'other'`)).map((x) => x.raw_id)).toEqual(['Read_Me_First.pdf', 'notes-from-another-app.json/0', 'notes-from-another-app.json/1']);
    const [library] = await rows(`stream = 'your_library'`);
    expect(library.raw_id).toBe('YourLibrary');
    const plays = await rows(`stream = 'streaming_history'`);
    expect(plays.map((p) => p.raw_id)).toContain('2025-04-28 05:18|¡BangBang Watergun!|Such A Loser|206000#1');
    expect(plays[0].source_timestamp?.toISOString()).toMatch(/^2025-04-28T05:\d{2}:00\.000Z$/);
    expect((await rows(`validation_status <> 'valid'`)).length).toBe(0);

    const again = await run(db(), [zip], { force: true });
    expect(again.inserted).toBe(0);
  });

  it('extended history: a later, overlapping export adds exactly the plays the first lacks; identical plays keep their count', async () => {
    const first = await writeZip(join(tempDir(), 'my_spotify_data.zip'), {
      [`${EXT}Streaming_History_Audio_2025.json`]: playsFile(EXTENDED_PLAYS.slice(0, 3)),
    });
    const a = await run(db(), [first]);
    expect(a.status, a.errors.join('; ')).toBe('succeeded');
    expect(a.inserted).toBe(3);

    // Spotify's exports are cumulative: the second holds the first's plays again, the fourth
    // (a play identical to the third: same ts, track and ms_played), and a video play.
    const all = playsFile(EXTENDED_PLAYS);
    const second = await writeZip(join(tempDir(), 'my_spotify_data.zip'), {
      [`${EXT}Streaming_History_Audio_2025.json`]: all,
      [`${EXT}Streaming_History_Video_2025.json`]: playsFile([VIDEO_PLAY]),
      [`${EXT}ReadMeFirst_ExtendedStreamingHistory.pdf`]: '%PDF-1.4\n%%EOF\n',
    });
    const b = await run(db(), [second]);
    expect(b.status, b.errors.join('; ')).toBe('succeeded');
    expect(b.inserted).toBe(1 + 1 + 1); // the repeated play, the video play, the PDF

    const audio = await rows(`stream = 'extended_history_audio'`);
    expect(audio.length).toBe(count(all, '"ts"'));
    const twice = extendedPlayId(EXTENDED_PLAYS[3]);
    expect(extendedPlayId(EXTENDED_PLAYS[2])).toBe(twice);
    expect(audio.filter((p) => p.raw_id.startsWith(`${twice}#`)).map((p) => p.raw_id)).toEqual([`${twice}#1`, `${twice}#2`]);
    expect(twice).toBe('2025-02-03T19:13:03Z|spotify:track:1qhU0hFzfAxGGAi7x3Dx7m|219524');
    // ip_addr and the rest are stored as Spotify wrote them.
    expect(audio[0].raw_data).toHaveProperty('ip_addr', '124.169.222.142');
    expect(Object.keys(audio[0].raw_data).length).toBe(Object.keys(EXTENDED_PLAYS[0]).length);
    expect((await rows(`stream = 'extended_history_video'`)).map((x) => x.raw_id)).toEqual(['2025-02-04T08:00:00Z|spotify:episode:7makk4oTQel546B0PZlDM5|61000#1']);

    const again = await run(db(), [second, first], { force: true });
    expect(again.inserted).toBe(0);
  });

  it('a history file broken part-way keeps the plays before the damage and stores the damage in `other`', async () => {
    const text = playsFile(EXTENDED_PLAYS);
    const broken = text.slice(0, text.indexOf('"ts": "2025-02-03T19:13:03Z"') - 10);
    const zip = await writeZip(join(tempDir(), 'broken.zip'), {
      [`${EXT}Streaming_History_Audio_2024.json`]: broken,
      [`${EXT}Streaming_History_Video_2024.json`]: playsFile([{ ...VIDEO_PLAY, ts: '2024-02-04T08:00:00Z' }]),
    });
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const [damage] = await rows(`stream = 'other' AND raw_id = 'damaged:Streaming_History_Audio_2024.json'`);
    expect(damage.validation_status).toBe('invalid');
    expect(damage.error_message).toMatch(/Streaming_History_Audio_2024\.json.*line \d+/);
    expect(damage.error_message).toContain('(2 value(s) before it stored)');
    expect((await rows(`stream = 'extended_history_video' AND raw_id LIKE '2024-%'`)).length).toBe(1);
  });

  it('a damaged history over 1 MiB keeps the whole file in its damage row: the plays after the damage are not lost', async () => {
    // Spotify writes extended history files of ~12 MB; a stray byte in the middle of one left
    // the plays after it in no row (only the first 1 MiB of a file was kept as text).
    const plays = Array.from({ length: 6000 }, (_, i) => ({ ...EXTENDED_PLAYS[0], ts: new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString().replace('.000Z', 'Z') }));
    const text = playsFile(plays);
    const at = text.indexOf(`"ts": "${plays[3000].ts}"`) - 6;
    const broken = `${text.slice(0, at)}x${text.slice(at)}`;
    expect(Buffer.byteLength(broken)).toBeGreaterThan(1 << 20);
    const zip = await writeZip(join(tempDir(), 'big-broken.zip'), { [`${EXT}Streaming_History_Audio_2023.json`]: broken });
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.invalid).toBe(1);
    const [damage] = await rows(`stream = 'other' AND raw_id = 'damaged:Streaming_History_Audio_2023.json'`);
    expect(damage.raw_data.text).toBe(broken);
    expect(damage.error_message).toContain('(3000 value(s) before it stored)');
    expect((await rows(`stream = 'extended_history_audio' AND raw_id LIKE '2023-%'`)).length).toBe(3000);
    expect((await run(db(), [zip], { force: true })).inserted).toBe(0);

    // Bytes that are not UTF-8 are kept as base64, never dropped or replaced.
    const bytes = Buffer.concat([Buffer.from(playsFile(plays.slice(0, 2)).slice(0, -3)), Buffer.from([0xff, 0x00, 0x7b])]);
    const odd = await writeZip(join(tempDir(), 'odd-broken.zip'), { [`${EXT}Streaming_History_Audio_2022.json`]: bytes });
    expect((await run(db(), [odd])).status).toBe('succeeded');
    const [kept] = await rows(`raw_id = 'damaged:Streaming_History_Audio_2022.json'`);
    expect(Buffer.from(kept.raw_data.base64 as string, 'base64').equals(bytes)).toBe(true);
  });

  it('takes one history file on its own, from the repo’s examples too', async () => {
    const dir = tempDir();
    const path = join(dir, 'StreamingHistory0.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, fixture('songprogress_HistorySample.json'));
    const r = await run(db(), [path, join(import.meta.dirname, '..', '..', '..', 'examples', 'StreamingHistory0.json')]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.files.imported).toBe(2);
  });
});
