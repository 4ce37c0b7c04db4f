import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { FIXTURE, gpx, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
const ECG = fixture('dynamic_ecg_ecg_2024-01-24.csv');
const CDA = fixture('health-record-visualizer_export_cda_fraction_source.xml').toString('utf8');
const FHIR_WITH_ID = fixture('health-record-visualizer_MedicationRequest-test.json');
const FHIR_NO_ID = fixture('health-record-visualizer_Observation-test-bp2.json');
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(70_000)]);
// A text file as Notepad writes it, byte order mark first: its text keeps the mark (the bytes back).
const NOTE = Buffer.from('\ufeffExported from the Health app.\n');

/** The real sample export plus two workouts that reference route files: one in the export, one missing from it. */
const workout = (day: string, route: string) =>
  `    <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="31.5" durationUnit="min" sourceName="Apple Watch" sourceVersion="6.1" creationDate="2020-${day} 08:40:00 -0700" startDate="2020-${day} 08:00:00 -0700" endDate="2020-${day} 08:31:30 -0700">\n` +
  `        <WorkoutRoute sourceName="Apple Watch" sourceVersion="6.1" creationDate="2020-${day} 08:41:00 -0700" startDate="2020-${day} 08:00:00 -0700" endDate="2020-${day} 08:31:30 -0700">\n` +
  `            <FileReference path="${route}"/>\n        </WorkoutRoute>\n    </Workout>\n`;
/** A ClinicalRecord as iOS writes it, naming its FHIR resource file. */
const clinicalRecord = (file: string) =>
  `    <ClinicalRecord type="HKClinicalTypeIdentifierMedicationRecord" identifier="${file}" sourceName="Health Records" sourceVersion="1" fhirVersion="1.0.2" receivedDate="2021-04-26 08:48:29 +0000" resourceFilePath="/clinical-records/${file}"/>\n`;
const EXPORT_XML = readFileSync(FIXTURE, 'utf8').replace(
  '</HealthData>',
  `${workout('05-01', '/workout-routes/route_2020-05-01_8.00am.gpx')}${workout('05-02', '/workout-routes/route_2020-05-02_8.00am.gpx')}` +
    `${clinicalRecord('MedicationRequest-ABCD.json')}${clinicalRecord('Observation-GONE.json')}</HealthData>`,
);
const inXml = (tag: string) => (EXPORT_XML.match(new RegExp(`\\n    <${tag}[ >/]`, 'g')) ?? []).length;

/** Pieces of the CDA counted from its text: the root, containers with attributes (entry, organizer) and each organizer child. */
const cdaPieces = 1 + (CDA.match(/^ {1,2}<(entry|organizer) /gm) ?? []).length + (CDA.match(/^ {3}<[a-zA-Z]/gm) ?? []).length;
const ecgSamples = ECG.toString('utf8').split('\n').filter((l) => /^-?\d+(\.\d+)?$/.test(l)).length;

describeOneEngine('apple_health: every file of the export lands in a stream', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const entries: Record<string, string | Buffer> = {
    'apple_health_export/export.xml': EXPORT_XML,
    'apple_health_export/export_cda.xml': CDA,
    'apple_health_export/workout-routes/route_2020-05-01_8.00am.gpx': gpx(['2020-05-01T15:00:00Z', '2020-05-01T15:31:30Z']),
    'apple_health_export/electrocardiograms/ecg_2024-01-24.csv': ECG,
    'apple_health_export/clinical-records/MedicationRequest-ABCD.json': FHIR_WITH_ID,
    'apple_health_export/clinical-records/Observation-test-bp2.json': FHIR_NO_ID,
    'apple_health_export/clinical-records/Broken.json': '{"resourceType": "Observation", ',
    'apple_health_export/Health Records.pdf': PDF,
    'apple_health_export/notes/readme.txt': NOTE,
  };

  it('export.xml, routes, export_cda.xml, ECGs, FHIR resources and any other file: rows per stream = files or elements', async () => {
    expect(cdaPieces).toBe(9);
    expect(ecgSamples).toBeGreaterThan(15_000);
    const db = await createTestDatabase(engine);
    try {
      await writeZip(join(dir, 'export.zip'), entries);
      const r = await run(db, [join(dir, 'export.zip')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(await rowsPerStream(db)).toEqual({
        records: inXml('Record'),
        workouts: inXml('Workout'),
        activity_summaries: inXml('ActivitySummary'),
        me: 1,
        export_info: 1,
        workout_routes: 1,
        clinical_document: cdaPieces,
        electrocardiograms: 1,
        clinical_records: 3,
        other_files: 2,
        other_elements: inXml('ClinicalRecord'),
      });
      const rows = await db.withSession((s) =>
        s.query<{ stream: string; raw_id: string; raw_data: any; validation_status: string; error_message: string | null; source_timestamp: Date | null }>(
          `SELECT stream, raw_id, raw_data, validation_status, error_message, source_timestamp FROM bronze_apple_health WHERE stream <> 'records' ORDER BY stream, raw_id`,
        ),
      );
      const of = (stream: string) => rows.filter((x) => x.stream === stream);

      const [ecg] = of('electrocardiograms');
      expect(ecg.raw_data.file).toBe('electrocardiograms/ecg_2024-01-24.csv');
      expect(ecg.raw_data.header).toMatchObject({ 'Recorded Date': '2024-01-24 07:04:49 +0800', Classification: 'Heart Rate Below 50', Device: 'Watch5,1', 'Sample Rate': '512.508 hertz', Lead: 'Lead I', Unit: 'µV' });
      expect(ecg.raw_data.samples).toHaveLength(ecgSamples);
      expect(ecg.raw_data.samples.slice(0, 2)).toEqual(ECG.toString('utf8').split('\n').filter((l) => /^-?\d/.test(l)).slice(0, 2));
      expect(new Date(ecg.source_timestamp!).toISOString()).toBe('2024-01-23T23:04:49.000Z');

      const fhir = of('clinical_records');
      expect(fhir.find((x) => x.raw_id === 'MedicationRequest/ABCD')!.raw_data).toEqual(JSON.parse(FHIR_WITH_ID.toString('utf8')));
      expect(fhir.find((x) => x.raw_id === 'file:clinical-records/Observation-test-bp2.json')!.raw_data).toEqual(JSON.parse(FHIR_NO_ID.toString('utf8')));
      const broken = fhir.find((x) => x.raw_id === 'file:clinical-records/Broken.json')!;
      expect(broken.validation_status).toBe('invalid');
      expect(broken.error_message).toMatch(/Broken\.json: not JSON/);

      const others = of('other_files');
      expect(others.map((o) => o.raw_data)).toEqual([
        { file: 'Health Records.pdf', size: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex') },
        { file: 'notes/readme.txt', size: NOTE.length, sha256: createHash('sha256').update(NOTE).digest('hex'), text: NOTE.toString('utf8') },
      ]);

      const observation = of('clinical_document').find((x) => x.raw_data.element === 'component')!;
      expect(observation.raw_data.path).toBe('ClinicalDocument/entry/organizer');
      expect(observation.raw_data.value.observation[0].text[0].type[0]['#text']).toBe('HKQuantityTypeIdentifierHeartRate');
      expect(new Date(observation.source_timestamp!).toISOString()).toBe('2021-04-26T08:48:29.000Z');

      // The workout whose route file is not in the zip: a warning naming the file; the other one is valid.
      const walks = of('workouts').filter((w) => w.raw_data.workoutActivityType === 'HKWorkoutActivityTypeWalking');
      expect(walks.map((w) => w.validation_status).sort()).toEqual(['valid', 'warning']);
      expect(walks.find((w) => w.validation_status === 'warning')!.error_message).toMatch(/route file \/workout-routes\/route_2020-05-02_8\.00am\.gpx is missing from the export/);
      // The same for a ClinicalRecord whose FHIR file is not in the zip.
      const clinical = of('other_elements');
      expect(clinical.map((c) => [c.raw_data.value.resourceFilePath, c.validation_status]).sort()).toEqual([
        ['/clinical-records/MedicationRequest-ABCD.json', 'valid'],
        ['/clinical-records/Observation-GONE.json', 'warning'],
      ]);
      expect(clinical.find((c) => c.validation_status === 'warning')!.error_message).toMatch(/the clinical record's file \/clinical-records\/Observation-GONE\.json is missing from the export$/);
      expect(r.warning).toBe(2);
      expect(r.invalid).toBe(1);

      const forced = await run(db, [join(dir, 'export.zip')], { force: true });
      expect(forced.inserted).toBe(0);
      expect(forced.unchanged).toBe(forced.seen);
    } finally {
      await db.close();
    }
  });

  it('the unpacked apple_health_export folder: the same streams, read from beside export.xml', async () => {
    const db = await createTestDatabase(engine);
    const root = join(dir, 'unpacked', 'apple_health_export');
    try {
      for (const [name, content] of Object.entries(entries)) {
        const path = join(dir, 'unpacked', name);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, content);
      }
      const r = await run(db, [root]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.files.imported).toBe(1);
      const rows = await rowsPerStream(db);
      expect(rows).toMatchObject({ workout_routes: 1, clinical_document: cdaPieces, electrocardiograms: 1, clinical_records: 3, other_files: 2, workouts: inXml('Workout'), other_elements: 2 });
      // The missing route and the missing FHIR file, as in the zip.
      expect(r.warning).toBe(2);
    } finally {
      await db.close();
    }
  });

  it('the unpacked folder with files that are symbolic links (a route, the ECG): read as the files they name, the same rows', async () => {
    const db = await createTestDatabase(engine);
    const root = join(dir, 'linked', 'apple_health_export');
    const linked = new Set(Object.keys(entries).filter((n) => /workout-routes\/|electrocardiograms\//.test(n)));
    expect(linked.size).toBe(2);
    try {
      for (const [name, content] of Object.entries(entries)) {
        const path = join(dir, 'linked', name);
        mkdirSync(join(path, '..'), { recursive: true });
        if (!linked.has(name)) writeFileSync(path, content);
        else {
          const target = join(dir, 'link-targets', name.replace(/\//g, '_'));
          mkdirSync(join(target, '..'), { recursive: true });
          writeFileSync(target, content);
          symlinkSync(target, path);
        }
      }
      const r = await run(db, [root]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(await rowsPerStream(db)).toMatchObject({ workout_routes: 1, electrocardiograms: 1 });
      expect(r.warning).toBe(2);
    } finally {
      await db.close();
    }
  });
});
