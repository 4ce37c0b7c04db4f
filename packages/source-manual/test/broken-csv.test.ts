import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, run } from './helpers.js';

/** `total` rows; row `broken` opens a quote that never closes (the rest of the file is inside it). */
function brokenCsv(total: number, broken: number): string {
  const out = ['id,name,amount'];
  for (let i = 1; i <= total; i++) out.push(i === broken ? `${i},"unclosed,${i}` : `${i},name ${i},${i}.50`);
  return `${out.join('\n')}\n`;
}

describeOneEngine('a CSV broken part-way', (db, engine) => {
  const stored = (stream: string) =>
    db().withSession((s) => s.query<{ n: number; max: number }>(
      `SELECT count(*)::int AS n, max((raw_data->>'id')::int) AS max FROM bronze_manual WHERE stream = $1`, [stream]));

  for (const [total, broken] of [[300, 250], [100_000, 89_000]]) {
    it(`stores every row before the damage (row ${broken} of ${total}) and names the damage's line`, async () => {
      const stream = `broken_${total}_${engine}`;
      const r = await run(db(), [file(`${stream}.csv`, brokenCsv(total, broken))]);
      expect(r.status).toBe('failed');
      expect(r.files).toMatchObject({ failed: 1 });
      expect(r.inserted).toBe(broken - 1);
      // Row n is on line n + 1 (the header is line 1).
      expect(r.errors).toEqual([expect.stringMatching(new RegExp(`${stream}\\.csv: line ${broken + 1}: not valid CSV from here on, rows above it are kept \\(Quote Not Closed`))]);
      expect(await stored(stream)).toEqual([{ n: broken - 1, max: broken - 1 }]);
    }, 300_000);
  }
});
