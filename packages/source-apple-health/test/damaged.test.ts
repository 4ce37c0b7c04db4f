import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { exportCounts } from '../src/index.js';
import { generatedXml, gpx, nonZero, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

const options = { records: 1_000, months: 3 };

describeOneEngine('apple_health: damaged files', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a truncated export.xml stores the complete elements before the damage and the cut text, names the line, and a re-run of the whole file adds the rest', async () => {
    const xml = await generatedXml(options);
    // Cut in the middle of the 400th record.
    let at = -1;
    for (let i = 0; i < 400; i++) at = xml.indexOf('\n  <Record ', at + 1);
    const cut = xml.slice(0, at + 60);
    const cutLine = cut.split('\n').length;
    writeFileSync(join(dir, 'cut.xml'), cut);
    writeFileSync(join(dir, 'whole.xml'), xml);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'cut.xml')], { batchSize: 64 });
      // Every byte is stored (the elements, then the cut text): complete, with the damage named.
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.files.imported).toBe(1);
      const note = r.notes.find((n) => n.includes('every byte stored'))!;
      expect(note).toContain(join(dir, 'cut.xml'));
      expect(note).toMatch(new RegExp(`line ${cutLine}\\b`));
      // ExportDate, Me and the 399 complete records; the cut one is stored as the text it is, invalid.
      expect(await rowsPerStream(db)).toEqual({ export_info: 1, me: 1, records: 399, other_elements: 1 });
      const [unread] = await db.withSession((s) =>
        s.query<{ raw_data: any; validation_status: string }>(`SELECT raw_data, validation_status FROM bronze_apple_health WHERE stream = 'other_elements'`),
      );
      expect(unread.validation_status).toBe('invalid');
      expect(unread.raw_data.element).toBe('#unread');
      expect(unread.raw_data.value.text).toBe(Buffer.from(cut).subarray(unread.raw_data.value.from_byte).toString());
      expect(unread.raw_data.value.text).toMatch(/^\n  <Record /);

      const whole = await run(db, [join(dir, 'whole.xml')], { batchSize: 64 });
      expect(whole.status, whole.errors.join('; ')).toBe('succeeded');
      expect(whole.unchanged).toBe(401);
      expect(await rowsPerStream(db)).toEqual({ ...nonZero(exportCounts(options)), other_elements: 1 });
    } finally {
      await db.close();
    }
  });

  it('a zip: export.xml, every workout-routes/*.gpx (one route record each) and export_cda.xml', async () => {
    const db = await createTestDatabase(engine);
    try {
      const xml = await generatedXml(options);
      await writeZip(join(dir, 'export.zip'), {
        'apple_health_export/export.xml': xml,
        'apple_health_export/export_cda.xml': '<ClinicalDocument/>',
        'apple_health_export/workout-routes/route_2021-01-01_1.gpx': gpx(['2021-01-01T08:00:00Z', '2021-01-01T08:00:01Z', '2021-01-01T08:00:02Z']),
        'apple_health_export/workout-routes/route_2021-01-02_1.gpx': gpx(['2021-01-02T08:00:00Z', '2021-01-02T08:00:01Z']),
      });
      const r = await run(db, [join(dir, 'export.zip')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(await rowsPerStream(db)).toEqual(nonZero({ ...exportCounts(options), workout_routes: 2, clinical_document: 1 }));
      const [route] = await db.withSession((s) =>
        s.query<{ raw_data: any; source_timestamp: Date; file_path: string }>(
          `SELECT raw_data, source_timestamp, file_path FROM bronze_apple_health WHERE stream = 'workout_routes' ORDER BY source_timestamp LIMIT 1`,
        ),
      );
      expect(route.raw_data.file).toBe('/workout-routes/route_2021-01-01_1.gpx');
      expect(route.raw_data.gpx.trk[0].trkseg[0].trkpt).toHaveLength(3);
      expect(route.raw_data.gpx.trk[0].trkseg[0].trkpt[0]).toMatchObject({ lat: '52.520', lon: '13.400', ele: [{ '#text': '34.2' }] });
      expect(new Date(route.source_timestamp).toISOString()).toBe('2021-01-01T08:00:00.000Z');
      expect(route.file_path).toBe(join(dir, 'export.zip'));
    } finally {
      await db.close();
    }
  });

  it('a truncated zip (no central directory) stores export.xml up to the damage and says where it broke; the whole zip adds the rest', async () => {
    const db = await createTestDatabase(engine);
    try {
      const xml = await generatedXml(options);
      await writeZip(join(dir, 'full.zip'), { 'apple_health_export/export.xml': xml });
      const bytes = readFileSync(join(dir, 'full.zip'));
      writeFileSync(join(dir, 'cut.zip'), bytes.subarray(0, Math.floor(bytes.length / 2)));
      const r = await run(db, [join(dir, 'cut.zip')], { batchSize: 64 });
      expect(r.status).toBe('failed');
      expect(r.errors[0]).toMatch(/damaged zip archive/);
      expect(r.errors[0]).toMatch(/line \d+/);
      const partial = await rowsPerStream(db);
      expect(partial.records).toBeGreaterThan(100);
      expect(partial.records).toBeLessThan(exportCounts(options).records);

      const whole = await run(db, [join(dir, 'full.zip')]);
      expect(whole.status, whole.errors.join('; ')).toBe('succeeded');
      expect(whole.unchanged).toBe(partial.records + 2);
      expect(await rowsPerStream(db)).toEqual(nonZero(exportCounts(options)));
    } finally {
      await db.close();
    }
  });

  it('the DOCTYPE internal subset is skipped: an external entity is never fetched or expanded', async () => {
    const db = await createTestDatabase(engine);
    try {
      const xml = `<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n<HealthData locale="en_US">\n <ExportDate value="2024-01-01 10:00:00 +0100"/>\n <Record type="T" sourceName="S" startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 10:00:00 +0100" value="&secret;"/>\n</HealthData>\n`;
      writeFileSync(join(dir, 'xxe.xml'), xml);
      const r = await run(db, [join(dir, 'xxe.xml')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      const note = r.notes.find((n) => n.includes('every byte stored'))!;
      expect(note).toMatch(/line 8, column \d+.*undefined entity/);
      expect(note).not.toContain('root:');
      // The text from the record with the entity on is stored as text, invalid: never expanded.
      expect(await rowsPerStream(db)).toEqual({ export_info: 1, other_elements: 1 });
      const [unread] = await db.withSession((s) => s.query<{ raw_data: any }>(`SELECT raw_data FROM bronze_apple_health WHERE stream = 'other_elements'`));
      expect(unread.raw_data.value.text).toBe(xml.slice(xml.indexOf('\n <Record')));
    } finally {
      await db.close();
    }
  });
});

describeOneEngine('apple_health: an unpacked export folder', (_db, engine) => {
  it('imports the folder\'s export.xml, its GPX routes (referenced or not) and its export_cda.xml', async () => {
    const dir = tempDir();
    const db = await createTestDatabase(engine);
    try {
      const { mkdirSync } = await import('node:fs');
      const root = join(dir, 'apple_health_export');
      mkdirSync(join(root, 'workout-routes'), { recursive: true });
      const xml = await generatedXml({ records: 1_000, months: 1 });
      writeFileSync(join(root, 'export.xml'), xml);
      writeFileSync(join(root, 'export_cda.xml'), '<ClinicalDocument/>');
      // The generated workouts reference /workout-routes/route_<day>_<n>.gpx: give one of them a file.
      const ref = /FileReference path="([^"]+)"/.exec(xml)![1];
      writeFileSync(join(root, ref), gpx(['2021-01-01T08:00:00Z', '2021-01-01T08:00:05Z']));
      writeFileSync(join(root, 'workout-routes', 'unreferenced.gpx'), gpx(['2021-02-01T08:00:00Z']));
      const r = await run(db, [root]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.files.imported).toBe(1);
      expect(await rowsPerStream(db)).toEqual(nonZero({ ...exportCounts({ records: 1_000, months: 1 }), workout_routes: 2, clinical_document: 1 }));
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeOneEngine('apple_health: a file that is no export', (db) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a CSV given to apple-health is refused naming the file and what it holds; nothing is stored, the file is not marked imported', async () => {
    const csv = join(dir, 'weights.csv');
    writeFileSync(csv, 'date,weight_kg\n2024-01-01,80.5\n');
    const r = await run(db(), [csv]);
    expect(r.status).toBe('failed');
    expect(r.files).toMatchObject({ imported: 0, failed: 1 });
    expect(r.errors.join('\n')).toContain(`${csv}: is not an Apple Health export: neither a zip nor XML (it starts "date,weight_kg.2024-01-01,80.5."); apple-health imports export.zip`);
    expect(await rowsPerStream(db())).toEqual({});
    // XML with a byte-order mark and a UTF-16 export still read as XML (no HealthData: the usual damage path).
    for (const [name, bytes] of [
      ['bom.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n<?xml version="1.0"?><HealthData locale="en_US"></HealthData>\n')])],
      ['utf16.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><HealthData locale="en_US"></HealthData>', 'utf16le')])],
    ] as const) {
      writeFileSync(join(dir, name), bytes);
      const x = await run(db(), [join(dir, name)]);
      expect(x.errors.join('\n'), name).not.toContain('is not an Apple Health export');
    }
  });
});
