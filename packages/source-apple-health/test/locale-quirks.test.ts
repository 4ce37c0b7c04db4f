import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { parseEcgCsv } from '../src/index.js';
import { cdaWithContentAfterRoot } from './cda.js';
import { gpx, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

/**
 * An ECG as the Health app of a Portuguese-speaking phone writes it: the header in
 * English, each voltage with a decimal comma (`-265,868`; `12` when whole). Shaped after
 * andrepcg/healthsync @ 73fb6d8f internal/parser/parser_test.go (a pt user's export;
 * no licence: its layout is reproduced, the values are made up).
 */
const PT_SAMPLES = ['-265,868', '-271,819', '12', '0,5', '-265,868', '-3,2', '101,75'];
const PT_ECG = [
  'Name,Test Person',
  'Date of Birth,"4 Jan 1992"',
  'Recorded Date,2026-08-26 18:15:35 +0100',
  'Classification,Sinus Rhythm',
  'Symptoms,',
  'Software Version,1.90',
  'Device,"Watch7,11"',
  'Sample Rate,512 hertz',
  '',
  '',
  'Lead,Lead I',
  'Unit,µV',
  '',
  ...PT_SAMPLES,
  '',
].join('\n');

it('an ECG with decimal commas (pt locale): every sample, in order and as written; the header untouched', () => {
  const { record, warnings } = parseEcgCsv(PT_ECG, 'electrocardiograms/ecg_2026-08-26.csv');
  expect(warnings).toEqual([]);
  expect(record.samples).toEqual(PT_SAMPLES);
  expect(Object.keys(record.header)).toEqual(['Name', 'Date of Birth', 'Recorded Date', 'Classification', 'Symptoms', 'Software Version', 'Device', 'Sample Rate', 'Lead', 'Unit']);
});

it('a header line that only looks numeric is not taken for a sample: a comma needs digits on both sides', () => {
  const { record } = parseEcgCsv('Recorded Date,2026-08-26 18:15:35 +0100\nSymptoms,\n12,\n,5\n1,5\n', 'e.csv');
  expect(record.samples).toEqual(['1,5']);
  expect(record.header).toMatchObject({ '12': '', '': '5' });
});

describeOneEngine('apple_health: exports of other locales and iOS versions', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a pt-locale export.zip: the ECG row holds its samples in order, valid, no warning', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="pt_PT">\n <ExportDate value="2026-09-08 08:55:02 +0100"/>\n</HealthData>\n';
    await writeZip(join(dir, 'export.zip'), {
      'apple_health_export/export.xml': xml,
      'apple_health_export/electrocardiograms/ecg_2026-08-26.csv': PT_ECG,
    });
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'export.zip')]);
      expect(r).toMatchObject({ status: 'succeeded', invalid: 0, warning: 0 });
      expect(await rowsPerStream(db)).toEqual({ export_info: 1, electrocardiograms: 1 });
      const [ecg] = await db.withSession((s) =>
        s.query<{ raw_data: any; at: Date | null }>(`SELECT raw_data, source_timestamp AS at FROM bronze_apple_health WHERE stream = 'electrocardiograms'`),
      );
      expect(ecg.raw_data.samples).toEqual(PT_SAMPLES);
      expect(ecg.at?.toISOString()).toBe('2026-08-26T17:15:35.000Z');
    } finally {
      await db.close();
    }
  });
  it('a control character XML does not allow (U+000B in iOS 16 exports) is kept as written with a warning; every later element is read', async () => {
    // Reported by jameno/Simple-Apple-Health-XML-to-CSV#3 ("the invisible character \x0b" in
    // iOS 16 exports): a conforming parser stops there, and every element after it was only
    // kept as unread text. Shaped after that report: a record's metadata value holds it.
    const rec = (i: number, value = 'Espresso') =>
      ` <Record type="HKQuantityTypeIdentifierDietaryCaffeine" sourceName="Café-Tagebuch" unit="mg" creationDate="2022-10-0${i} 08:00:00 +0200" startDate="2022-10-0${i} 08:00:00 +0200" endDate="2022-10-0${i} 08:00:00 +0200" value="63">\n  <MetadataEntry key="HKFoodType" value="${value}"/>\n </Record>\n`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="de_DE">\n <ExportDate value="2022-11-01 10:00:00 +0100"/>\n${rec(1)}${rec(2, 'Doppio\u000bmit Milch')}${rec(3)}${rec(4)}</HealthData>\n`;
    writeFileSync(join(dir, 'export.xml'), xml);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'export.xml')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.notes.filter((n) => n.includes('damaged'))).toEqual([]);
      expect(await rowsPerStream(db)).toEqual({ export_info: 1, records: 4 });
      const rows = await db.withSession((s) =>
        s.query<{ raw_data: any; validation_status: string; error_message: string | null }>(
          `SELECT raw_data, validation_status, error_message FROM bronze_apple_health WHERE stream = 'records' ORDER BY source_timestamp`,
        ),
      );
      expect(rows.map((row) => row.raw_data.MetadataEntry[0].value)).toEqual(['Espresso', 'Doppio\u000bmit Milch', 'Espresso', 'Espresso']);
      // Only the record that holds it is marked.
      expect(rows.map((row) => row.validation_status)).toEqual(['valid', 'warning', 'valid', 'valid']);
      expect(rows[1].error_message).toContain('U+000B');
      expect(rows[1].error_message).toContain('line 8');
    } finally {
      await db.close();
    }
  });

  it('such a character in HealthData\'s own attributes marks the export_info row that holds them', async () => {
    for (const exportDate of [true, false]) {
      const first = exportDate ? ' <ExportDate value="2022-11-01 10:00:00 +0100"/>\n' : '';
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="de\u000bDE">\n${first} <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n</HealthData>\n`;
      writeFileSync(join(dir, 'export.xml'), xml);
      const db = await createTestDatabase(engine);
      try {
        expect((await run(db, [join(dir, 'export.xml')])).status).toBe('succeeded');
        const [info] = await db.withSession((s) =>
          s.query<{ raw_data: any; validation_status: string; error_message: string | null }>(`SELECT raw_data, validation_status, error_message FROM bronze_apple_health WHERE stream = 'export_info'`),
        );
        expect(info.raw_data.HealthData).toEqual({ locale: 'de\u000bDE' });
        expect([info.validation_status, info.error_message], `with ExportDate: ${exportDate}`).toEqual(['warning', expect.stringContaining('U+000B')]);
      } finally {
        await db.close();
      }
    }
  });
  it('the same characters between elements are damage, as before (a block of NULs where records were): the rest is kept as unread text', async () => {
    const rec = (i: number) =>
      ` <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" unit="count" startDate="2022-10-0${i} 08:00:00 +0200" endDate="2022-10-0${i} 08:10:00 +0200" value="${i}"/>\n`;
    const xml = `<HealthData locale="de_DE">\n${rec(1)}${rec(2)}${'\u0000'.repeat(512)}\n${rec(3)}</HealthData>\n`;
    writeFileSync(join(dir, 'nul.xml'), xml);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'nul.xml')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.notes.find((n) => n.includes('damaged'))).toContain('characters XML does not allow between elements (U+0000 at line 4, column 1, and 511 more)');
      expect(await rowsPerStream(db)).toEqual({ export_info: 1, records: 2, other_elements: 1 });
      const [unread] = await db.withSession((s) => s.query<{ raw_data: any }>(`SELECT raw_data FROM bronze_apple_health WHERE stream = 'other_elements'`));
      // From the end of the last record read to the end (its NULs are escaped by core in raw_data).
      expect([unread.raw_data.value.from_byte, unread.raw_data.value.to_byte]).toEqual([Buffer.byteLength(xml.slice(0, xml.indexOf('\u0000') - 1)), Buffer.byteLength(xml)]);
    } finally {
      await db.close();
    }
  });

  it('in export_cda.xml and a GPX route too: bytes that are not UTF-8 and control characters mark their row with a warning, never silently valid', async () => {
    // A Latin-1 "ó" (0xF3) where UTF-8 was due, and a U+000B: both kept in the row (as U+FFFD and as written).
    const cda = Buffer.from(cdaWithContentAfterRoot(2, 0).replace('Vitória’s Watch', 'Vit\u0000ria Watch').replace('<title>Health Data Export</title>', '<title>Health\u000bData Export</title>'), 'utf8');
    cda[cda.indexOf(0)] = 0xf3;
    const route = gpx(['2022-10-01T08:00:00Z', '2022-10-01T08:30:00Z']).replace('<name>Route</name>', '<name>Lauf\u000bam Morgen</name>');
    await writeZip(join(dir, 'parts.zip'), {
      'apple_health_export/export.xml': '<HealthData locale="pt_BR"/>',
      'apple_health_export/export_cda.xml': cda,
      'apple_health_export/workout-routes/route_2022-10-01_8.00am.gpx': route,
    });
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'parts.zip')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      const marked = await db.withSession((s) =>
        s.query<{ stream: string; element: string | null; error_message: string }>(
          `SELECT stream, raw_data->>'element' AS element, error_message FROM bronze_apple_health WHERE validation_status = 'warning' ORDER BY stream, raw_data->>'element' DESC`,
        ),
      );
      expect(marked.map((m) => [m.stream, m.element])).toEqual([['clinical_document', 'title'], ['clinical_document', 'component'], ['workout_routes', null]]);
      expect(marked[0].error_message).toContain('U+000B');
      expect(marked[1].error_message).toContain('were read as U+FFFD');
      expect(marked[2].error_message).toContain('U+000B');
    } finally {
      await db.close();
    }
  });
  it('a folder holding a localised export: the unpacked 导出.xml (Chinese iPhone) and 書き出したデータ.zip (Japanese iPhone) are both imported', async () => {
    // Names as real exports give them: apple_health_export/导出.xml (Chinese tooling handles it,
    // e.g. 导出.xml/輸出.xml), 書き出したデータ.zip (hs9587/format_cda.rb README: a Japanese
    // iPhone's export.zip, holding apple_health_export/export.xml).
    const folder = join(dir, 'localised');
    mkdirSync(join(folder, 'zh', 'apple_health_export'), { recursive: true });
    const xml = (day: string, locale: string) =>
      `<HealthData locale="${locale}">\n <ExportDate value="2024-01-0${day} 10:00:00 +0800"/>\n <Record type="HKQuantityTypeIdentifierStepCount" sourceName="张三的 iPhone" unit="count" startDate="2024-01-0${day} 09:00:00 +0800" endDate="2024-01-0${day} 09:10:00 +0800" value="120"/>\n</HealthData>\n`;
    writeFileSync(join(folder, 'zh', 'apple_health_export', '导出.xml'), xml('1', 'zh_CN'));
    await writeZip(join(folder, '書き出したデータ.zip'), { 'apple_health_export/export.xml': xml('2', 'ja_JP') });
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [folder]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.files.imported).toBe(2);
      expect(await rowsPerStream(db)).toEqual({ export_info: 2, records: 2 });
    } finally {
      await db.close();
    }
  });
});
