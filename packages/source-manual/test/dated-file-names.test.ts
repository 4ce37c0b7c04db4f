import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { datedStreamNote } from '../src/stream-name.js';
import { file, rows, run } from './helpers.js';

/** Samsung Health's daily steps, in the layout of its export (a metadata line, rows ending in a comma). */
const steps = (uuids: string[]) =>
  'com.samsung.shealth.step_daily_trend,6320001,6\nbinning_data,count,datauuid,day_time\n' + uuids.map((u, i) => `,${8000 + i},${u},${1759276800000 + i * 86_400_000},\n`).join('');

it('a file name ending in a date or timestamp is named in the note, with the stream to pass; other names are not', () => {
  expect(datedStreamNote('/x/com.samsung.shealth.step_daily_trend.20261006090000.csv')).toBe(
    'com.samsung.shealth.step_daily_trend.20261006090000.csv: stream com_samsung_shealth_step_daily_trend_20261006090000 is named after a file name ending in a date (20261006090000): ' +
      'the next export, named with another date, would be another stream, the records both hold stored again there; pass --stream com_samsung_shealth_step_daily_trend to keep every export in one stream',
  );
  expect(datedStreamNote('/x/Umsaetze_2024-01.csv')).toContain('pass --stream umsaetze to keep');
  expect(datedStreamNote('/x/statement-2025-01-31.csv.gz')).toContain('(2025-01-31)');
  expect(datedStreamNote('/x/export_20240131.json')).toContain('pass --stream export to keep');
  for (const name of ['My Weights 2024.csv', 'weights.csv', 'run 12345.csv', 'v2.csv', '20240131.csv']) expect(datedStreamNote(`/x/${name}`), name).toBeUndefined();
});

describeOneEngine('manual: exports named with a date', (db, engine) => {
  it('two Samsung Health exports: by default two streams, the summary says why and what to pass; with --stream one, the records both hold stored once', async () => {
    const first = file(`com.samsung.shealth.step_daily_trend_${engine}.20261006090000.csv`, steps(['a', 'b']));
    const second = file(`com.samsung.shealth.step_daily_trend_${engine}.20261106090000.csv`, steps(['a', 'b', 'c']));
    const r = await run(db(), [first]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3 });
    expect(r.notes.join('\n')).toContain(`pass --stream com_samsung_shealth_step_daily_trend_${engine} to keep every export in one stream`);

    const stream = `samsung_steps_${engine}`;
    // The first: its preamble and 2 rows; the second: only c (its preamble and a, b are the same records).
    expect(await run(db(), [first, second], { options: { stream } })).toMatchObject({ status: 'succeeded', inserted: 1 + 2 + 1, unchanged: 3 });
    const stored = await rows(db(), stream);
    expect(stored.filter((s) => !('preamble' in s.raw_data)).map((s) => s.raw_data.datauuid)).toEqual(['a', 'b', 'c']);
    expect((await run(db(), [file(`other_${engine}.csv`, steps(['z']))], { options: { stream: `named_${engine}` } })).notes.join('\n')).not.toContain('named after a file name');
  });
});
