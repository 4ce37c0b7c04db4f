import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, run } from './helpers.js';

const LITERALS = { a: '0.1000000000000000055511151231257827', b: '1e400', c: '1.10', d: '12345678901234567890123', e: '-0.000000000000000000000001', f: '5.00' };
const record = (id: number) => `{"id": ${id}, ${Object.entries(LITERALS).map(([k, v]) => `"${k}": ${v}`).join(', ')}}`;

describeOneEngine('manual: numbers keep their exact value', (db, engine) => {
  const q = <T>(sql: string, params?: unknown[]) => db().withSession((s) => s.query<T>(sql, params));

  for (const [ext, content] of [
    ['jsonl', `${record(1)}\n${record(2)}\n`],
    ['json', `[${record(1)},\n${record(2)}]`],
    ['jsonl.gz', gzipSync(`${record(1)}\n${record(2)}\n`)],
  ] as const) {
    it(`.${ext}: (raw_data->>'x')::numeric equals each literal, and 1.10 keeps its scale`, async () => {
      const stream = `exact_${ext.replace('.', '_')}_${engine}`;
      const path = file(`${stream}.${ext}`, content);
      expect(await run(db(), [path])).toMatchObject({ status: 'succeeded', inserted: 2 });
      for (const [k, literal] of Object.entries(LITERALS)) {
        const rows = await q<{ same: boolean }>(`SELECT (raw_data->>$1)::numeric = $2::numeric AS same FROM bronze_manual WHERE stream = $3`, [k, literal, stream]);
        expect(rows.map((r) => r.same), `${k} = ${literal}`).toEqual([true, true]);
      }
      const texts = await q<{ c: string; f: string; status: string }>(`SELECT raw_data->>'c' AS c, raw_data->>'f' AS f, validation_status AS status FROM bronze_manual WHERE stream = $1`, [stream]);
      expect(texts).toEqual([{ c: '1.10', f: '5.00', status: 'valid' }, { c: '1.10', f: '5.00', status: 'valid' }]);
      expect(await run(db(), [path], { force: true })).toMatchObject({ inserted: 0, unchanged: 2 });
    });
  }

  it('an id past 2^53 is its exact digits, and ids 1 and 1.0 stay the one id they were', async () => {
    const stream = `exact_ids_${engine}`;
    await run(db(), [file(`${stream}.jsonl`, '{"id": 12345678901234567890123, "v": 1}\n{"id": 7.0, "v": 2}\n')]);
    const ids = await q<{ raw_id: string }>(`SELECT raw_id FROM bronze_manual WHERE stream = $1 ORDER BY raw_id`, [stream]);
    expect(ids.map((r) => r.raw_id)).toEqual(['12345678901234567890123', '7']);
  });
});
