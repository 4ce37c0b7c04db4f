import { readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { rowsPerStream, run, tempDir, writeZip } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const PARSER = join(FIXTURES, 'health-data-parser');
const CDA = join(FIXTURES, 'health-record-visualizer_export_cda_fraction_source.xml');

describeOneEngine('apple_health: quirks of real exports', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rowsOf = (db: Awaited<ReturnType<typeof createTestDatabase>>, stream: string) =>
    db.withSession((s) =>
      s.query<{ raw_data: any; validation_status: string; error_message: string | null }>(
        `SELECT raw_data, validation_status, error_message FROM bronze_apple_health WHERE stream = $1 ORDER BY id`,
        [stream],
      ),
    );

  it('an iOS 8 export (shaped after ericwolter/apple-healthkit-csv test/export.xml: source= instead of sourceName=, compact dates) is valid, with its timestamps', async () => {
    const records = [
      ['HKQuantityTypeIdentifierHeight', 'm', '20141018163235+0100', '20141018163200+0100', '1.75'],
      ['HKQuantityTypeIdentifierBodyMass', 'kg', '20150603050217+0100', '20150603050200+0100', '71.1'],
      ['HKQuantityTypeIdentifierBodyMass', 'kg', '20150604061226+0100', '20150604061200+0100', '71'],
    ];
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_DE">\n <ExportDate value="20151107171924+0100"/>\n <Me HKCharacteristicTypeIdentifierDateOfBirth="19881029" HKCharacteristicTypeIdentifierBiologicalSex="2"/>\n${records
      .map(([type, unit, created, at, value]) => ` <Record type="${type}" source="Health" unit="${unit}" creationDate="${created}" startDate="${at}" endDate="${at}" HKWasUserEntered="1" value="${value}"/>\n`)
      .join('')}</HealthData>\n`;
    writeFileSync(join(dir, 'ios8-export.xml'), xml);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'ios8-export.xml')]);
      expect(r).toMatchObject({ status: 'succeeded', invalid: 0, warning: 0 });
      expect(await rowsPerStream(db)).toEqual({ records: (xml.match(/<Record /g) ?? []).length, me: 1, export_info: 1 });
      const stamps = await db.withSession((s) =>
        s.query<{ at: Date | null }>(`SELECT source_timestamp AS at FROM bronze_apple_health WHERE stream = 'records' ORDER BY source_timestamp`),
      );
      expect(stamps.map((x) => x.at?.toISOString())).toEqual(['2014-10-18T15:32:00.000Z', '2015-06-03T04:02:00.000Z', '2015-06-04T05:12:00.000Z']);
      expect((await rowsOf(db, 'records'))[0].raw_data.source).toBe('Health');
    } finally {
      await db.close();
    }
  });

  it('"XML broken" names the byte of the damage, past 64 KiB of multi-byte text (shaped after ericwolter Exportieren.xml: an attribute name with spaces)', async () => {
    const good = Array.from({ length: 600 }, (_, i) => ` <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Waage – Küche ${i}" unit="kg" creationDate="2015-07-18 10:38:01 +0200" startDate="2015-07-18 10:38:01 +0200" endDate="2015-07-18 10:38:01 +0200" value="70"/>\n`).join('');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="de_DE">\n <ExportDate value="2015-09-15 11:35:29 +0200"/>\n${good} <Record type="HKQuantityTypeIdentifierBodyMassIndex" sourceName="Withings" Health Mate App Version="2.6.2"/>\n</HealthData>\n`;
    writeFileSync(join(dir, 'Exportieren.xml'), xml);
    expect(Buffer.byteLength(xml.slice(0, xml.indexOf('Mate App')))).toBeGreaterThan(65_536);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'Exportieren.xml')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      const byte = Buffer.byteLength(xml.slice(0, xml.indexOf('Mate App')));
      const line = xml.slice(0, xml.indexOf('Mate App')).split('\n').length;
      const note = r.notes.find((n) => n.includes('every byte stored'))!;
      expect(note).toContain(`XML broken at line ${line}, column `);
      expect(note).toContain(`(byte ${byte.toLocaleString('en-US')}): attribute without value`);
      expect((await rowsPerStream(db)).records).toBe(600);
    } finally {
      await db.close();
    }
  });

  it('HealthData\'s locale is kept when the export has no ExportDate (shaped after kkuichi/ms051uh tests/data/export.xml)', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData>\n<HealthData locale="sk_SK">\n  <Me HKCharacteristicTypeIdentifierDateOfBirth="1995-04-12"/>\n  <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" value="74.2" startDate="2024-11-01 20:11:00 +0100" endDate="2024-11-01 20:11:00 +0100"/>\n</HealthData>\n`;
    writeFileSync(join(dir, 'export.xml'), xml);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'export.xml')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      const info = await rowsOf(db, 'export_info');
      // With the DOCTYPE as written (doctype.test.ts).
      expect(info.map((row) => [row.raw_data, row.validation_status])).toEqual([[{ HealthData: { locale: 'sk_SK' }, '#doctype': '<!DOCTYPE HealthData>' }, 'valid']]);
      expect(await rowsPerStream(db)).toEqual({ export_info: 1, me: 1, records: 1 });
    } finally {
      await db.close();
    }
  });

  it('a <FileReference path> without its leading slash finds its route in the zip: no "missing" warning (paulstaab/health-data-parser)', async () => {
    const xml = readFileSync(join(PARSER, 'export.xml'), 'utf8');
    const refs = [...xml.matchAll(/<FileReference path="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBe(4);
    expect(refs.every((p) => !p.startsWith('/'))).toBe(true);
    const entries: Record<string, Buffer | string> = { 'apple_health_export/export.xml': xml };
    for (const f of readdirSync(join(PARSER, 'workout-routes'))) entries[`apple_health_export/workout-routes/${f}`] = readFileSync(join(PARSER, 'workout-routes', f));
    await writeZip(join(dir, 'parser.zip'), entries);
    const db = await createTestDatabase(engine);
    try {
      await run(db, [join(dir, 'parser.zip')]);
      const workouts = await rowsOf(db, 'workouts');
      expect(workouts.filter((w) => w.error_message?.includes('is missing from the export'))).toEqual([]);
      expect((await rowsPerStream(db)).workout_routes).toBe(4);
    } finally {
      await db.close();
    }
  });

  it('a missing route file named twice by one workout is named once in its warning (shaped after grll)', async () => {
    const route = '<WorkoutRoute sourceName="Watch"><FileReference path="/workout-routes/route_2024-12-13_11.59am.gpx"/></WorkoutRoute>';
    const xml = `<HealthData locale="en_US">\n <ExportDate value="2024-12-14 10:00:00 +0100"/>\n <Workout workoutActivityType="HKWorkoutActivityTypeRunning" sourceName="Watch" startDate="2024-12-13 11:59:00 +0100" endDate="2024-12-13 12:30:00 +0100">${route}${route}</Workout>\n</HealthData>\n`;
    writeFileSync(join(dir, 'twice.xml'), xml);
    const db = await createTestDatabase(engine);
    try {
      await run(db, [join(dir, 'twice.xml')]);
      const [workout] = await rowsOf(db, 'workouts');
      expect(workout.error_message).toContain('route file /workout-routes/route_2024-12-13_11.59am.gpx is missing');
      expect(workout.error_message!.split('route_2024-12-13_11.59am.gpx').length - 1).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('export_cda.xml given by itself is read as the clinical document; the export that holds it later adds nothing', async () => {
    const cda = readFileSync(CDA, 'utf8');
    copyFileSync(CDA, join(dir, 'export_cda.xml'));
    const db = await createTestDatabase(engine);
    try {
      const alone = await run(db, [join(dir, 'export_cda.xml')]);
      expect(alone.status, alone.errors.join('; ')).toBe('succeeded');
      // The attributes of the containers that have some (ClinicalDocument, entry, organizer), the
      // organizer's elements (templateId, id, code, statusCode, effectiveTime) and its one component.
      const containers = count(cda, /<(ClinicalDocument|entry|organizer) \w/g);
      const pieces = containers + count(cda.slice(cda.indexOf('<organizer'), cda.indexOf('<component>')), /\n   <\w+/g) + 1;
      expect(await rowsPerStream(db)).toEqual({ clinical_document: pieces });
      await writeZip(join(dir, 'with-cda.zip'), { 'apple_health_export/export.xml': '<HealthData locale="en_US"/>', 'apple_health_export/export_cda.xml': cda });
      const withExport = await run(db, [join(dir, 'with-cda.zip')]);
      expect(withExport.status, withExport.errors.join('; ')).toBe('succeeded');
      expect(await rowsPerStream(db)).toEqual({ clinical_document: pieces, export_info: 1 });
    } finally {
      await db.close();
    }
  });
});

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}
