import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import { readXmlElements, type XmlElement } from '../src/index.js';
import { isCdaContainer } from '../src/parts/cda.js';
import { run, tempDir } from './helpers.js';

/**
 * Text between elements is well-formed XML (mixed content) but in no record: a hand-edited
 * export, notes pasted into it, two files joined. Before, the reader dropped it: the run
 * succeeded and the text was in no row.
 */
const EXPORT = `<?xml version="1.0" encoding="UTF-8"?>
<HealthData locale="en_US">
 <ExportDate value="2024-01-02 10:00:00 +0100"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Phone" unit="count" startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 10:05:00 +0100" value="12"/>
 weighed myself &amp; forgot
 to log it
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Phone" unit="count" startDate="2024-01-01 11:00:00 +0100" endDate="2024-01-01 11:05:00 +0100" value="30"/>
 <![CDATA[ 72.5 kg ]]>
 <Correlation type="HKCorrelationTypeIdentifierFood" sourceName="App" startDate="2024-01-01 12:00:00 +0100" endDate="2024-01-01 12:00:00 +0100">
  lunch
  <Record type="HKQuantityTypeIdentifierDietaryEnergyConsumed" sourceName="App" unit="kcal" startDate="2024-01-01 12:00:00 +0100" endDate="2024-01-01 12:00:00 +0100" value="600"/>
 </Correlation>
</HealthData>
`;

async function elementsOf(text: string, chunk: number): Promise<XmlElement[]> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  const out: XmlElement[] = [];
  for await (const el of readXmlElements(chunks, 'export.xml', { containers: 1, yieldContainers: true })) out.push(el);
  return out;
}

describe('readXmlElements: text between elements', () => {
  it('is handed over as a #text element with a problem naming its line, whatever the chunks; indentation is not', async () => {
    for (const chunk of [3, 64, 1 << 16]) {
      const stray = (await elementsOf(EXPORT, chunk)).filter((e) => e.name === '#text');
      expect(stray.map((e) => [e.line, e.value['#text'].toString().trim(), e.path])).toEqual([
        [5, 'weighed myself & forgot\n to log it', ['HealthData']],
        [8, '72.5 kg', ['HealthData']],
      ]);
      expect(stray[0].problem).toBe('text between elements at line 5, inside no element of HealthData: stored as written in this row');
    }
  });

  it('in export_cda.xml, between the observations of the organizer: the #text element carries the containers around it', async () => {
    const cda = '<ClinicalDocument><component><structuredBody><component><section><entry><organizer>\n' +
      ' <component><observation><value v="1"/></observation></component>\n pasted note\n <component><observation><value v="2"/></observation></component>\n' +
      '</organizer></entry></section></component></structuredBody></component></ClinicalDocument>\n';
    const out: XmlElement[] = [];
    for await (const el of readXmlElements([Buffer.from(cda)], 'export_cda.xml', { containers: isCdaContainer, yieldContainers: true })) out.push(el);
    expect(out.filter((e) => !e.container).map((e) => [e.name, e.line, e.path.join('/')])).toEqual([
      ['component', 2, 'ClinicalDocument/component/structuredBody/component/section/entry/organizer'],
      ['#text', 3, 'ClinicalDocument/component/structuredBody/component/section/entry/organizer'],
      ['component', 4, 'ClinicalDocument/component/structuredBody/component/section/entry/organizer'],
    ]);
  });

  it("inside a record it stays the record's text, as before", async () => {
    const correlation = (await elementsOf(EXPORT, 1 << 16)).find((e) => e.name === 'Correlation')!;
    expect(correlation.value['#text']).toContain('lunch');
  });
});

describeOneEngine('apple_health: text between elements is stored, never dropped', (db) => {
  it('each text becomes an invalid other_elements row; the records around it are stored as before; a forced re-import adds nothing', async () => {
    const file = join(tempDir(), 'export.xml');
    writeFileSync(file, EXPORT);
    const r = await run(db(), [file]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.invalid).toBe(2);
    const rows = await db().withSession((s) =>
      s.query<{ stream: string; validation_status: string; raw_data: { element?: string; value?: Record<string, string> }; error_message: string | null }>(
        `SELECT stream, validation_status, raw_data, error_message FROM bronze_apple_health WHERE file_path = $1 ORDER BY (metadata->>'line')::int`, [file],
      ),
    );
    expect(rows.map((x) => x.stream)).toEqual(['export_info', 'records', 'other_elements', 'records', 'other_elements', 'correlations']);
    const texts = rows.filter((x) => x.stream === 'other_elements');
    expect(texts.map((x) => [x.validation_status, x.raw_data.element, x.raw_data.value!['#text']])).toEqual([
      ['invalid', '#text', '\n weighed myself & forgot\n to log it\n '],
      ['invalid', '#text', ' 72.5 kg '],
    ]);
    expect(texts[0].error_message).toBe(`${file}: text between elements at line 5, inside no element of HealthData: stored as written in this row`);
    const again = await run(db(), [file], { force: true });
    expect([again.seen, again.inserted, again.unchanged]).toEqual([6, 0, 6]);
  });

  it('text before <ExportDate> leaves one export_info row, with the date', async () => {
    const file = join(tempDir(), 'export.xml');
    // Another export (its own date), so that its export_info is not one the test above stored.
    const xml = EXPORT.replace('<HealthData locale="en_US">\n', '<HealthData locale="en_US">\n exported by hand\n').replace('2024-01-02 10:00:00', '2024-01-03 10:00:00');
    writeFileSync(file, xml);
    const r = await run(db(), [file]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const rows = await db().withSession((s) =>
      s.query<{ stream: string; raw_data: { element?: string } }>(`SELECT stream, raw_data FROM bronze_apple_health WHERE file_path = $1 ORDER BY (metadata->>'line')::int`, [file]),
    );
    expect(rows.map((x) => [x.stream, x.raw_data.element])).toEqual([['other_elements', '#text'], ['export_info', undefined]]);
    expect(rows[1].raw_data).toEqual({ HealthData: { locale: 'en_US' }, ExportDate: { value: '2024-01-03 10:00:00 +0100' } });
  });
});
