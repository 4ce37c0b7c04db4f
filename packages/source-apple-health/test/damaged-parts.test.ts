import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { cdaWithContentAfterRoot } from './cda.js';
import { generatedXml, gpx, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

const ECG = readFileSync(join(import.meta.dirname, 'fixtures', 'dynamic_ecg_ecg_2024-01-24.csv'));
const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

describeOneEngine('apple_health: a damaged file of the export does not stop the others', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // export_cda.xml sorts before workout-routes/ and electrocardiograms/: its damage used to end the import.
  const cda = cdaWithContentAfterRoot(3, 40);
  const routes = {
    'workout-routes/route_2023-03-04_1.gpx': gpx(['2023-03-04T08:00:00Z', '2023-03-04T08:00:05Z']),
    'workout-routes/route_2023-03-05_1.gpx': gpx(['2023-03-05T08:00:00Z', '2023-03-05T08:00:05Z', '2023-03-05T08:00:09Z']),
  };

  async function cdaRows(db: Awaited<ReturnType<typeof createTestDatabase>>) {
    return db.withSession((s) =>
      s.query<{ raw_data: any; validation_status: string; error_message: string | null }>(
        `SELECT raw_data, validation_status, error_message FROM bronze_apple_health WHERE stream = 'clinical_document' ORDER BY id`,
      ),
    );
  }

  function checkCda(rows: Awaited<ReturnType<typeof cdaRows>>) {
    const valid = rows.filter((r) => r.validation_status !== 'invalid');
    const unread = rows.filter((r) => r.validation_status === 'invalid');
    // Before the damage: root and 2 other containers' attributes, realmCode, title, section title, statusCode, 3 observations.
    expect(valid.filter((r) => r.raw_data.element === 'component' && r.raw_data.path.endsWith('organizer'))).toHaveLength(3);
    expect(unread).toHaveLength(1);
    const { value } = unread[0].raw_data;
    const bytes = Buffer.from(cda);
    expect(value.to_byte).toBe(bytes.length);
    expect(value.text).toBe(bytes.subarray(value.from_byte).toString());
    // Everything after the last stored observation is in it: the 40 observations after the root.
    expect(count(value.text, /<observation /g)).toBe(40);
    expect(bytes.subarray(0, value.from_byte).toString()).toMatch(/<\/component>$/);
    const damageByte = Buffer.byteLength(cda.slice(0, cda.indexOf('</ClinicalDocument>\n<') + '</ClinicalDocument>\n<'.length + 9));
    expect(unread[0].error_message).toContain(`(byte ${damageByte.toLocaleString('en-US')}): documents may contain only one root`);
  }

  it('a zip whose export_cda.xml has content after its root: every other entry is stored, the CDA up to the damage and its unread text; the file fails naming it; a re-import adds nothing', async () => {
    const entries: Record<string, string | Buffer> = { 'export.xml': await generatedXml({ records: 50, months: 1 }), 'export_cda.xml': cda, ...routes, 'electrocardiograms/ecg_2023-03-04.csv': ECG };
    await writeZip(join(dir, 'combo.zip'), Object.fromEntries(Object.entries(entries).map(([k, v]) => [`apple_health_export/${k}`, v])));
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'combo.zip')]);
      // Every byte of the damaged CDA is stored: the import is complete, and says what was damaged.
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.files.imported).toBe(1);
      expect(r.notes.join('\n')).toMatch(/1 damaged file\(s\) of the export, every byte stored .*export_cda\.xml: XML broken at line \d+, column \d+ \(byte [\d,]+\)/);
      const rows = await rowsPerStream(db);
      expect(rows.workout_routes).toBe(2);
      expect(rows.electrocardiograms).toBe(1);
      checkCda(await cdaRows(db));
      // So a plain re-run skips it (no run failing on it forever), and --force adds nothing.
      expect((await run(db, [join(dir, 'combo.zip')])).files.skipped).toBe(1);
      const again = await run(db, [join(dir, 'combo.zip')], { force: true });
      expect(again.status).toBe('succeeded');
      expect(again.inserted).toBe(0);
      expect(await rowsPerStream(db)).toEqual(rows);
    } finally {
      await db.close();
    }
  });

  it('the same export unpacked: export.xml reads its folder, the damaged export_cda.xml stops nothing', async () => {
    const root = join(dir, 'apple_health_export');
    mkdirSync(join(root, 'workout-routes'), { recursive: true });
    mkdirSync(join(root, 'electrocardiograms'), { recursive: true });
    writeFileSync(join(root, 'export.xml'), await generatedXml({ records: 50, months: 1 }));
    writeFileSync(join(root, 'export_cda.xml'), cda);
    for (const [rel, text] of Object.entries(routes)) writeFileSync(join(root, rel), text);
    writeFileSync(join(root, 'electrocardiograms', 'ecg_2023-03-04.csv'), ECG);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(root, 'export.xml')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.notes.join('\n')).toContain('export_cda.xml: XML broken at line');
      const rows = await rowsPerStream(db);
      expect(rows.workout_routes).toBe(2);
      expect(rows.electrocardiograms).toBe(1);
      checkCda(await cdaRows(db));
    } finally {
      await db.close();
    }
  });

  it('a GPX route cut short is stored invalid with the points read and its whole text; the route and ECG after it are stored', async () => {
    const whole = gpx(Array.from({ length: 30 }, (_, i) => `2023-03-06T08:00:${String(i).padStart(2, '0')}Z`));
    const cut = whole.slice(0, 3000);
    await writeZip(join(dir, 'brokengpx.zip'), {
      'apple_health_export/export.xml': await generatedXml({ records: 50, months: 1 }),
      'apple_health_export/workout-routes/route_a.gpx': cut,
      'apple_health_export/workout-routes/route_b.gpx': routes['workout-routes/route_2023-03-04_1.gpx'],
      'apple_health_export/electrocardiograms/ecg_2023-03-04.csv': ECG,
    });
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [join(dir, 'brokengpx.zip')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.notes.join('\n')).toMatch(/route_a\.gpx: the XML ends at line \d+, column \d+ \(byte 3,000\)/);
      expect((await rowsPerStream(db)).electrocardiograms).toBe(1);
      const stored = await db.withSession((s) =>
        s.query<{ raw_id: string; raw_data: any; validation_status: string }>(`SELECT raw_id, raw_data, validation_status FROM bronze_apple_health WHERE stream = 'workout_routes' ORDER BY raw_id`),
      );
      expect(stored.map((row) => [row.raw_data.file, row.validation_status])).toEqual(
        expect.arrayContaining([['/workout-routes/route_a.gpx', 'invalid'], ['/workout-routes/route_b.gpx', 'valid']]),
      );
      const a = stored.find((row) => row.raw_id === 'file:/workout-routes/route_a.gpx')!;
      expect(a.raw_data.text).toBe(cut);
      // Every point opened before the cut, the last one as far as it was read.
      expect(a.raw_data.gpx.trk[0].trkseg[0].trkpt).toHaveLength(count(cut, /<trkpt /g));
    } finally {
      await db.close();
    }
  });
});
