import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';

const example = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));

/**
 * The README's two workbook examples: the same budget saved by Excel (.xlsx) and as an
 * OpenDocument spreadsheet (.ods) gives the same streams, rows and values; only the dates
 * differ, as the README says (an .xlsx holds a serial number, an .ods the date as written).
 */
describeOneEngine('the README examples', (db) => {
  it('examples/budget.xlsx and examples/budget.ods: the same sheets, rows and values but the dates', async () => {
    const read = async (name: string, stream: string) => {
      // A copy under one name for both, so both land in the same streams.
      const path = file(`budget_${stream}.${name.split('.').pop()}`, '');
      copyFileSync(example(name), path);
      const r = await run(db(), [path]);
      expect(r, name).toMatchObject({ status: 'succeeded', inserted: 8, invalid: 0 });
      const out: Record<string, unknown[]> = {};
      for (const sheet of ['expenses', 'income', 'notes']) {
        out[sheet] = (await rows(db(), `budget_${stream}_${sheet}`)).sort((a, b) => Number(a.metadata!.row) - Number(b.metadata!.row)).map((x) => ({ ...(x.raw_data as Record<string, unknown>), Date: typeof (x.raw_data as { Date?: unknown }).Date }));
      }
      return out;
    };
    const xlsx = await read('budget.xlsx', 'x');
    const ods = await read('budget.ods', 'o');
    expect(xlsx.expenses).toHaveLength(6);
    expect(ods.income).toEqual([{ Date: 'string', From: 'Employer', Amount: 2450 }]);
    expect(xlsx.income).toEqual([{ Date: 'number', From: 'Employer', Amount: 2450 }]);
    const undated = (sheet: unknown[]) => sheet.map((r) => ({ ...(r as object), Date: undefined }));
    for (const sheet of ['expenses', 'income', 'notes']) expect(undated(ods[sheet]), sheet).toEqual(undated(xlsx[sheet]));
  });
});
