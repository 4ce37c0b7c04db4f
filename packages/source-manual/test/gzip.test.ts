import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';

describeOneEngine('gzip', (db, engine) => {
  const compression = (stream: string) =>
    db().withSession((s) => s.query<{ compression_type: string | null; encoding: string; n: number }>(
      'SELECT compression_type, encoding, count(*)::int AS n FROM bronze_manual WHERE stream = $1 GROUP BY 1, 2', [stream]));

  it('.csv.gz and .jsonl.gz are read gunzipped: every element stored, compression_type gzip', async () => {
    const csvRows = Array.from({ length: 1200 }, (_, i) => `${i};2024-01-${String((i % 28) + 1).padStart(2, '0')};${i},5`);
    const csv = `id;date;value\n${csvRows.join('\n')}\n`;
    const lines = Array.from({ length: 1500 }, (_, i) => JSON.stringify({ id: i, ts: 1_700_000_000 + i, text: `Zeile ${i} – äöü` }));
    const jsonl = `${lines.join('\n')}\n`;
    const r = await run(db(), [file(`table_${engine}.csv.gz`, gzipSync(csv)), file(`events_${engine}.jsonl.gz`, gzipSync(jsonl))]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: csvRows.length + lines.length, invalid: 0, files: { imported: 2 } });
    expect(await compression(`table_${engine}`)).toEqual([{ compression_type: 'gzip', encoding: 'utf-8', n: csvRows.length }]);
    expect(await compression(`events_${engine}`)).toEqual([{ compression_type: 'gzip', encoding: 'utf-8', n: lines.length }]);
    const first = (await rows(db(), `table_${engine}`))[0];
    expect(first.raw_data).toEqual({ id: '0', date: '2024-01-01', value: '0,5' });
  });

  it('a gzipped Latin-1 CSV is detected after gunzip', async () => {
    const stream = `gzlatin_${engine}`;
    const r = await run(db(), [file(`${stream}.csv.gz`, gzipSync(Buffer.from('Text;Betrag\nUmsätze;-13,98\n', 'latin1')))]);
    expect(r).toMatchObject({ inserted: 1, invalid: 0 });
    expect((await rows(db(), stream))[0].raw_data).toEqual({ Text: 'Umsätze', Betrag: '-13,98' });
    expect(await compression(stream)).toEqual([{ compression_type: 'gzip', encoding: 'windows-1252', n: 1 }]);
  });
});
