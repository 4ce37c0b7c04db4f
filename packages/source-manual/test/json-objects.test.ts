import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';

const fixture = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8')) as Record<string, unknown>;


/** Garmin's user settings with a sleep-window array beside userData (8 windows, as the brief's case). */
function settingsWithWindows() {
  const settings = fixture('garmin-user-settings.json');
  const windows = Array.from({ length: 8 }, (_, i) => ({ sleepWindowFrequency: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'DAILY'][i], startSleepTimeSecondsFromMidnight: 79200 + i * 60, endSleepTimeSecondsFromMidnight: 25200 }));
  return { ...settings, windows };
}

describeOneEngine('JSON objects keep every key', (db, engine) => {
  it('an object whose array is empty (Garmin HRV with no readings) is stored whole', async () => {
    const hrv = { ...fixture('garmin-hrv.json'), hrvReadings: [] };
    const stream = `hrv_${engine}`;
    const r = await run(db(), [file(`${stream}.json`, JSON.stringify(hrv))]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 1, invalid: 0 });
    const stored = await rows(db(), stream);
    expect(stored.map((x) => x.raw_data)).toEqual([hrv]);
    expect(stored[0].metadata).toMatchObject({ path: '', role: 'document' });
  });

  it('{id, userData, windows: [8]} is one record with nothing missing; --records-path /windows gives 8 records plus the rest', async () => {
    const doc = settingsWithWindows();
    expect(Object.keys((doc as Record<string, unknown>).userData as object)).toHaveLength(33);
    const whole = `settings_${engine}`;
    expect(await run(db(), [file(`${whole}.json`, JSON.stringify(doc))])).toMatchObject({ inserted: 1 });
    expect((await rows(db(), whole)).map((x) => x.raw_data)).toEqual([doc]);

    const split = `settings_split_${engine}`;
    const r = await run(db(), [file(`${split}.json`, JSON.stringify(doc, null, 1))], { options: { recordsPath: '/windows' } });
    expect(r).toMatchObject({ status: 'succeeded', inserted: 9, invalid: 0 });
    const stored = await rows(db(), split);
    const items = stored.filter((x) => x.metadata?.role === undefined);
    expect(items.map((x) => x.raw_data)).toEqual(expect.arrayContaining(doc.windows));
    expect(items).toHaveLength(doc.windows.length);
    const { windows: _windows, ...rest } = doc;
    const restRow = stored.find((x) => x.metadata?.role === 'rest')!;
    expect(restRow.raw_data).toEqual(rest);
    expect(restRow.raw_id).toMatch(/^rest:[0-9a-f]{64}#1$/);
    expect(await run(db(), [file(`${split}.json`, JSON.stringify(doc, null, 1))], { options: { recordsPath: '/windows' }, force: true })).toMatchObject({ inserted: 0 });
  });

  it('a --records-path that names no array fails naming the file, the pointer and the keys there; nothing stored', async () => {
    const stream = `wrong_path_${engine}`;
    const r = await run(db(), [file(`${stream}.json`, JSON.stringify(settingsWithWindows(), null, 2))], { options: { recordsPath: '/sleepWindows' } });
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatch(new RegExp(`${stream}\\.json: .*/sleepWindows.*windows`));
    expect(await rows(db(), stream)).toEqual([]);
  });
});

it('--records-path must be a JSON Pointer', async () => {
  const { configureManual } = await import('../src/config.js');
  expect(() => configureManual({}, { recordsPath: 'windows' })).toThrow(/--records-path "windows" must be a JSON Pointer starting with '\/', e.g. \/windows/);
  expect(configureManual({}, { recordsPath: '/windows' })).toEqual({ recordsPath: '/windows' });
});
