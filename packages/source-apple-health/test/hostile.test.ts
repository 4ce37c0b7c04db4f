import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createTestDatabase, describeOneEngine } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import yazl from 'yazl';
import { MAX_ENTRY_BYTES } from '../src/index.js';
import { rowsPerStream, run, tempDir } from './helpers.js';

const record = (start: string, value: string, inner = '') =>
  `  <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Jane’s iPhone" sourceVersion="13.3" unit="count" creationDate="${start}" startDate="${start}" endDate="${start}" value="${value}"${inner ? `>${inner}</Record>` : '/>'}`;
const exportXml = (body: string[]) => ['<?xml version="1.0" encoding="UTF-8"?>', '<HealthData locale="en_US">', ' <ExportDate value="2020-01-20 09:00:00 -0800"/>', ...body, '</HealthData>', ''].join('\n');

/** A GPX route of `bytes` bytes, streamed (never held whole). */
function hugeRoute(bytes: number): Readable {
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health Export"><trk><trkseg>\n';
  const point = '<trkpt lon="13.404954" lat="52.520008"><ele>34.2</ele><time>2020-05-01T15:00:00Z</time><extensions><speed>2.5</speed></extensions></trkpt>\n';
  let written = 0;
  return Readable.from(
    (function* () {
      yield head;
      const block = point.repeat(1000);
      while (written < bytes) {
        written += block.length;
        yield block;
      }
      yield '</trkseg></trk></gpx>\n';
    })(),
  );
}

describeOneEngine('apple_health: hostile and odd input', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bytes that are not UTF-8 are stored as U+FFFD with a warning naming them, never silently valid; a real U+FFFD stays valid', async () => {
    const db = await createTestDatabase(engine);
    try {
      const good = record('2024-03-01 10:00:00 +0000', '1');
      const literal = record('2024-03-02 10:00:00 +0000', '2').replace('Jane’s', 'Jane\uFFFDs');
      const bad = Buffer.concat([Buffer.from(record('2024-03-03 10:00:00 +0000', '3').split('Jane’s').join('Jane')), Buffer.from('\n')]);
      const at = bad.indexOf('Jane') + 4;
      const broken = Buffer.concat([bad.subarray(0, at), Buffer.from([0xff, 0xfe]), bad.subarray(at)]);
      // The real U+FFFD in a file of its own: next to replaced bytes (in one 64 KiB slice) it would be
      // marked too, since the reader cannot tell which U+FFFD is which (a few too many, none missed).
      writeFileSync(join(dir, 'literal.xml'), exportXml([literal]));
      writeFileSync(join(dir, 'latin.xml'), Buffer.concat([Buffer.from(exportXml([good]).replace('</HealthData>\n', '')), broken, Buffer.from('</HealthData>\n')]));
      for (const f of ['literal.xml', 'latin.xml']) {
        const r = await run(db, [join(dir, f)]);
        expect(r.status, r.errors.join('; ')).toBe('succeeded');
      }
      const rows = await db.withSession((s) =>
        s.query<{ value: string; status: string; error: string | null; name: string }>(
          `SELECT raw_data->>'value' AS value, validation_status AS status, error_message AS error, raw_data->>'sourceName' AS name FROM bronze_apple_health WHERE stream = 'records' ORDER BY raw_data->>'value'`,
        ),
      );
      expect(rows.map((x) => [x.value, x.status])).toEqual([['1', 'valid'], ['2', 'valid'], ['3', 'warning']]);
      expect(rows[1].name).toBe('Jane\uFFFDs iPhone');
      expect(rows[2].name).toBe('Jane\uFFFD\uFFFD iPhone');
      expect(rows[2].error).toMatch(/latin\.xml line \d+: bytes that are not UTF-8, within bytes 0–[\d,]+, were read as U\+FFFD/);
    } finally {
      await db.close();
    }
  });

  it('years 0001–0099 stay themselves; a year 0000, the 9999-12-31 "no end" sentinel and 2024-02-30 get no timestamp and a warning naming the value', async () => {
    const db = await createTestDatabase(engine);
    try {
      writeFileSync(
        join(dir, 'dates.xml'),
        exportXml([
          record('0050-03-01 12:00:00 +0000', '1'),
          record('0099-12-31 23:00:00 -0100', '2'),
          record('0000-01-01 00:00:00 +0000', '3'),
          record('9999-12-31 23:59:59 -0800', '4'),
          record('2024-02-30 10:00:00 +0100', '5'),
          record('2024-02-29 10:00:00 +0100', '6'),
        ]),
      );
      const r = await run(db, [join(dir, 'dates.xml')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      const rows = await db.withSession((s) =>
        s.query<{ value: string; ts: string | null; status: string; error: string | null }>(
          `SELECT raw_data->>'value' AS value, to_char(source_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS ts, validation_status AS status, error_message AS error
           FROM bronze_apple_health WHERE stream = 'records' ORDER BY raw_data->>'value'`,
        ),
      );
      expect(rows.map((x) => [x.value, x.ts, x.status])).toEqual([
        ['1', '0050-03-01T12:00:00', 'valid'],
        ['2', '0100-01-01T00:00:00', 'valid'],
        ['3', null, 'warning'],
        ['4', null, 'warning'],
        ['5', null, 'warning'],
        ['6', '2024-02-29T09:00:00', 'valid'],
      ]);
      expect(rows[2].error).toContain('"0000-01-01 00:00:00 +0000"');
      expect(rows[3].error).toContain('"9999-12-31 23:59:59 -0800"');
      expect(rows[4].error).toMatch(/"2024-02-30 10:00:00 \+0100" names no such day/);
    } finally {
      await db.close();
    }
  });

  it('a record nested 100,000 levels deep is stored invalid with the reason; the records around it are stored', async () => {
    const db = await createTestDatabase(engine);
    try {
      const deep = `${'<MetadataEntry key="k" value="v">'.repeat(100_000)}${'</MetadataEntry>'.repeat(100_000)}`;
      writeFileSync(join(dir, 'deep.xml'), exportXml([record('2020-01-01 10:00:00 +0000', '1'), record('2020-01-02 10:00:00 +0000', '2', deep), record('2020-01-03 10:00:00 +0000', '3')]));
      const r = await run(db, [join(dir, 'deep.xml')]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(await rowsPerStream(db)).toEqual({ export_info: 1, records: 3 });
      const [bad] = await db.withSession((s) =>
        s.query<{ value: string; error: string }>(`SELECT raw_data->>'value' AS value, error_message AS error FROM bronze_apple_health WHERE validation_status = 'invalid'`),
      );
      expect(bad.value).toBe('2');
      expect(bad.error).toMatch(/deep\.xml: the element that starts at line 5 is nested more than 256 levels deep/);
    } finally {
      await db.close();
    }
  });

  it('a zip holding a route file far larger than the zip: refused by its size without reading it, named in the error; the rest is stored', async () => {
    const db = await createTestDatabase(engine);
    try {
      const zip = new yazl.ZipFile();
      zip.addBuffer(Buffer.from(exportXml([record('2020-01-01 10:00:00 +0000', '1')])), 'apple_health_export/export.xml');
      zip.addReadStream(hugeRoute(300 * 1024 * 1024), 'apple_health_export/workout-routes/route_2020-05-01_8.00am.gpx', { compress: true });
      zip.end();
      await pipeline(zip.outputStream, createWriteStream(join(dir, 'bomb.zip')));
      const r = await run(db, [join(dir, 'bomb.zip')]);
      expect(r.status).toBe('failed');
      expect(r.errors[0]).toContain('bomb.zip!apple_health_export/workout-routes/route_2020-05-01_8.00am.gpx');
      expect(r.errors[0]).toMatch(/too large to store whole/);
      expect(await rowsPerStream(db)).toEqual({ export_info: 1, records: 1, workout_routes: 1 });
      const [route] = await db.withSession((s) =>
        s.query<{ raw_data: { file: string; size: number }; status: string; error: string }>(
          `SELECT raw_data, validation_status AS status, error_message AS error FROM bronze_apple_health WHERE stream = 'workout_routes'`,
        ),
      );
      expect(route.status).toBe('invalid');
      expect(route.raw_data.file).toBe('/workout-routes/route_2020-05-01_8.00am.gpx');
      expect(route.raw_data.size).toBeGreaterThan(MAX_ENTRY_BYTES);
      expect(route.error).toContain(`over the limit of ${(MAX_ENTRY_BYTES / 1024 / 1024).toFixed(1)} MiB`);
      // Peak memory of this test process (reported, not asserted).
      console.info(`hostile zip: peak RSS of the test process ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
    } finally {
      await db.close();
    }
  });
});
