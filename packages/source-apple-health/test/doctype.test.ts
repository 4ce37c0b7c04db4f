import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine, type TestDatabase } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { run, tempDir } from './helpers.js';

/**
 * The DOCTYPE of export.xml holds the only statement of the format's version
 * (`<!-- HealthKit Export Version: 3 -->`, 12 from iOS 16, 14 later), which tells which
 * attributes an element may carry (workout totals moved to WorkoutStatistics). It was read
 * past and stored nowhere: the export_info row keeps it as written, never interpreted.
 */
const EXCERPT = join(import.meta.dirname, 'fixtures', 'hkimport_exportSmall.xml');

/** `<!DOCTYPE … ]>` as written, found in the text: from its start to the `]>` that ends the internal subset. */
function doctypeOf(xml: string): string {
  const start = xml.indexOf('<!DOCTYPE');
  return xml.slice(start, xml.indexOf(']>', start) + 2);
}

const exportInfo = (db: TestDatabase) =>
  db.withSession((s) => s.query<{ raw_data: Record<string, unknown>; validation_status: string }>(`SELECT raw_data, validation_status FROM bronze_apple_health WHERE stream = 'export_info'`));

describeOneEngine('apple_health: the DOCTYPE of export.xml', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a real export (HealthKit Export Version 3): its export_info row holds the DOCTYPE as written, also when the file is damaged further on', async () => {
    const xml = readFileSync(EXCERPT, 'utf8');
    expect(doctypeOf(xml)).toContain('<!-- HealthKit Export Version: 3 -->');
    const db = await createTestDatabase(engine);
    try {
      expect((await run(db, [EXCERPT])).status).toBe('succeeded');
      const info = await exportInfo(db);
      expect(info.map((row) => row.raw_data['#doctype'])).toEqual([doctypeOf(xml)]);
      expect(info[0].raw_data.ExportDate).toEqual({ value: xml.match(/<ExportDate value="([^"]*)"/)![1] });
    } finally {
      await db.close();
    }
  });

  it('iOS 16\'s broken DTD (an ATTLIST never closed, a stray `>`) and an export without ExportDate or locale: kept as written', async () => {
    // Shaped after the export.xml of iOS 16 (HealthKit Export Version 12) that ElementTree refuses
    // at line 156 (jameno/Simple-Apple-Health-XML-to-CSV#2, fedecalendino/apple-health#1).
    const doctype = '<!DOCTYPE HealthData [\n<!-- HealthKit Export Version: 12 -->\n<!ELEMENT HealthData (ExportDate,Me,(Record|VisionPrescription)*)>\n<!ATTLIST VisionPrescription\n  type             CDATA #REQUIRED\n  brand            CDATA #IMPLIED\n<!ELEMENT RightEye EMPTY>\n<!ATTLIST RightEye\n  sphere           CDATA #IMPLIED\n>\n>\n]>';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}\n<HealthData>\n <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Phone" unit="count" value="5" startDate="2022-10-01 10:00:00 +0200" endDate="2022-10-01 10:01:00 +0200"/>\n</HealthData>\n`;
    mkdirSync(join(dir, 'ios16'), { recursive: true });
    writeFileSync(join(dir, 'ios16', 'export.xml'), xml);
    const db = await createTestDatabase(engine);
    try {
      expect((await run(db, [join(dir, 'ios16', 'export.xml')])).status).toBe('succeeded');
      expect(await exportInfo(db)).toEqual([{ raw_data: { HealthData: {}, '#doctype': doctypeOf(xml) }, validation_status: 'valid' }]);
    } finally {
      await db.close();
    }
  });
});
