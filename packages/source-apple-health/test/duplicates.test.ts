import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { foodExport } from './food.js';
import { rowsPerStream, run, tempDir } from './helpers.js';

const count = (xml: string, tag: string) => (xml.match(new RegExp(`\\n  <${tag}[ >/]`, 'g')) ?? []).length;

/**
 * The food export with byte-identical copies of elements, as real exports hold them:
 * a record written three times, a meal twice, a heart rate sample twice.
 */
function withDuplicates(shift = 0): string {
  const xml = foodExport(shift);
  const firstRecord = /\n {2}<Record [^]*?<\/Record>/.exec(xml)![0];
  const firstMeal = /\n {2}<Correlation [^]*?<\/Correlation>/.exec(xml)![0];
  const heartRate = `\n  <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Jane’s Apple Watch" sourceVersion="6.1" device="&lt;&lt;HKDevice: 0x2816${shift}a9f0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch5,4, software:6.1&gt;" unit="count/min" creationDate="2020-01-12 10:03:01 -0800" startDate="2020-01-12 10:02:55 -0800" endDate="2020-01-12 10:02:55 -0800" value="64"/>`;
  return xml.replace('\n</HealthData>', `${firstRecord}${firstRecord}${firstMeal}${heartRate}${heartRate}\n</HealthData>`);
}

// Depends on core numbering repeated raw_ids within one file and stream (X, X#2, X#3…): the `files` branch.
describeOneEngine('apple_health: byte-identical duplicate elements', (db) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const xml = withDuplicates();
  writeFileSync(join(dir, 'export.xml'), xml);

  it('are kept as separate records: rows per stream = elements per stream', async () => {
    const r = await run(db(), [join(dir, 'export.xml')]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(count(xml, 'Record')).toBe(13 + 2 + 2);
    expect(await rowsPerStream(db())).toEqual({
      records: count(xml, 'Record'),
      correlations: count(xml, 'Correlation'),
      me: count(xml, 'Me'),
      export_info: count(xml, 'ExportDate'),
    });
  });

  it('a --force re-import and a re-export with new device addresses add 0 rows', async () => {
    const forced = await run(db(), [join(dir, 'export.xml')], { force: true });
    expect(forced.inserted).toBe(0);
    writeFileSync(join(dir, 'export-2.xml'), withDuplicates(7));
    const again = await run(db(), [join(dir, 'export-2.xml')]);
    expect(again.status, again.errors.join('; ')).toBe('succeeded');
    expect(again.inserted).toBe(0);
    expect(await rowsPerStream(db())).toMatchObject({ records: count(xml, 'Record'), correlations: count(xml, 'Correlation') });
  });
});
