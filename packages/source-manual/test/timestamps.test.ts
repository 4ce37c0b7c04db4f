import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));

describeOneEngine('timestamps', (db, engine) => {
  it('Spotify history: every row gets source_timestamp from endTime, and the run notes (its summary line) say so', async () => {
    const bytes = fixture('StreamingHistory0.json');
    const plays = JSON.parse(bytes.toString('utf8')) as { endTime: string }[];
    const stream = `spotify_${engine}`;
    const r = await run(db(), [file(`${stream}.json`, bytes)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: plays.length, invalid: 0, warning: 0 });
    expect(r.notes).toContain(`${stream}.json: source_timestamp from endTime`);
    const stored = await rows(db(), stream);
    expect(stored).toHaveLength(plays.length);
    expect(stored.map((x) => x.source_timestamp?.toISOString()).sort()).toEqual(plays.map((p) => `${p.endTime.replace(' ', 'T')}:00.000Z`).sort());
  });

  it('finds start*, *_at, *At, calendarDate and Datum fields; a German Datum parses day-first', async () => {
    const cases: [string, string, string, string][] = [
      ['toggl', '{"id": 1, "description": "x", "start": "2024-03-01T08:00:00+01:00", "duration": 60}\n', 'start', '2024-03-01T07:00:00.000Z'],
      ['garmin', '{"summaryId": 1, "startGMT": "2024-03-01T08:00:00.0", "calendarDate": "2024-03-01"}\n', 'startGMT', '2024-03-01T08:00:00.000Z'],
      ['scale', '{"kg": 80, "measured_at": "2024-03-01 07:30:00"}\n', 'measured_at', '2024-03-01T07:30:00.000Z'],
      ['issues', '{"title": "x", "createdAt": "2024-03-01T07:30:00Z"}\n', 'createdAt', '2024-03-01T07:30:00.000Z'],
      ['days', '{"calendarDate": "2024-03-01", "steps": 1234}\n', 'calendarDate', '2024-03-01T00:00:00.000Z'],
      ['kasse', '{"Datum": "12.08.2025", "Betrag": "-1,00"}\n', 'Datum', '2025-08-12T00:00:00.000Z'],
      ['anything', '{"note": "x", "when_it_happened": "2024-03-01"}\n', 'when_it_happened', '2024-03-01T00:00:00.000Z'],
    ];
    for (const [name, line, field, at] of cases) {
      const stream = `${name}_${engine}`;
      const r = await run(db(), [file(`${stream}.jsonl`, line)]);
      expect(r.notes, name).toEqual([`${stream}.jsonl: source_timestamp from ${field}`]);
      expect((await rows(db(), stream))[0].source_timestamp?.toISOString(), name).toBe(at);
    }
  });

  it('--date-format DD/MM/YYYY reads 12/08/2025 as 12 August; without it, and no day above 12, the summary says how to set it', async () => {
    const csv = 'Datum,Betrag\n12/08/2025,5\n01/12/2025,6\n';
    const plain = await run(db(), [file(`slashes_${engine}.csv`, csv)]);
    expect(plain.notes[0]).toMatch(/^slashes_.*\.csv: no source_timestamp: Datum \("12\/08\/2025"\) holds dates that may be day or month first.*pass --date-format DD\/MM\/YYYY or MM\/DD\/YYYY/);
    expect((await rows(db(), `slashes_${engine}`)).every((x) => x.source_timestamp === null)).toBe(true);
    const dmy = await run(db(), [file(`slashes2_${engine}.csv`, `${csv}\n`)], { options: { dateFormat: 'DD/MM/YYYY' } });
    expect(dmy.notes).toEqual([`slashes2_${engine}.csv: source_timestamp from Datum`]);
    expect((await rows(db(), `slashes2_${engine}`)).map((x) => x.source_timestamp?.toISOString())).toEqual(['2025-08-12T00:00:00.000Z', '2025-12-01T00:00:00.000Z']);
  });

  it('2024-02-30 is not rolled over to 2024-03-01: no timestamp, a warning naming the value', async () => {
    const stream = `feb_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, 'id,date\n1,2024-02-29\n2,2024-02-30\n3,31.02.2024\n4,2024-02-28T24:00:00Z\n')]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 4, warning: 3 });
    const stored = await rows(db(), stream);
    expect(stored[0]).toMatchObject({ validation_status: 'valid' });
    expect(stored[0].source_timestamp?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(stored.slice(1).map((x) => [x.source_timestamp, x.validation_status, x.error_message])).toEqual([
      [null, 'warning', 'timestamp: date: "2024-02-30" is not a valid date; stored without source_timestamp'],
      [null, 'warning', 'timestamp: date: "31.02.2024" is not a valid date (DD.MM.YYYY); stored without source_timestamp'],
      [null, 'warning', 'timestamp: date: "2024-02-28T24:00:00Z" is not a valid date; stored without source_timestamp'],
    ]);
    expect(stored.map((x) => x.raw_data.date)).toEqual(['2024-02-29', '2024-02-30', '31.02.2024', '2024-02-28T24:00:00Z']);
  });
});
