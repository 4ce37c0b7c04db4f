import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ingest, silentLogger } from '@bronze/core';
import { countRows, describeOneEngine, tableSnapshot } from '@bronze/testkit';
import { expect, it } from 'vitest';
import garmin from '../src/index.js';
import { buildExportZip, FIT_DIR } from './helpers/export-zip.js';

const logger = silentLogger();
// The truncated file sits in the middle: the files after it must still be imported.
const fitPaths = readdirSync(FIT_DIR).filter((f) => f.endsWith('.fit')).sort().map((f) => join(FIT_DIR, f));

describeOneEngine('garmin FIT files', (db) => {
  it('imports every FIT file; the truncated one is stored invalid and the run goes on', async () => {
    const r = await ingest(db(), garmin, { files: fitPaths, logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.files.imported).toBe(14);
    expect(await countRows(db(), 'garmin', `stream = 'fit_files'`)).toBe(14);
    const invalid = await db().withSession((s) =>
      s.query<{ stream: string; error_message: string; file_path: string }>(`SELECT stream, error_message, file_path FROM bronze_garmin WHERE validation_status = 'invalid'`),
    );
    expect(invalid.length).toBeGreaterThan(1);
    for (const row of invalid) {
      expect(row.file_path).toMatch(/fitparse_activity-unexpected-eof\.fit$/);
      expect(row.error_message).toMatch(/at byte 768/);
    }
    const [record] = await db().withSession((s) =>
      s.query<{ n: number; month: string }>(
        `SELECT jsonb_array_length(raw_data->'messages')::int AS n, to_char(source_timestamp AT TIME ZONE 'UTC', 'YYYY-MM') AS month
         FROM bronze_garmin WHERE stream = 'fit_messages' AND raw_data->>'message' = 'record' AND file_path LIKE '%fenix-5-run.fit'`,
      ),
    );
    expect(record).toEqual({ n: 21, month: '2017-06' });
  });

  it('re-importing the same files (with --force) adds 0 rows; without --force they are skipped', async () => {
    const before = await tableSnapshot(db(), 'garmin');
    const forced = await ingest(db(), garmin, { files: fitPaths, logger, env: {}, force: true });
    expect(forced.inserted).toBe(0);
    expect(forced.unchanged).toBe(forced.seen);
    const skipped = await ingest(db(), garmin, { files: fitPaths, logger, env: {} });
    expect(skipped.files.skipped).toBe(14);
    // A folder stands for the FIT (and zip/json) files below it.
    const folder = await ingest(db(), garmin, { files: [FIT_DIR], logger, env: {} });
    expect(folder.files).toEqual({ imported: 0, skipped: 14, failed: 0, unrecognised: [] });
    expect(await tableSnapshot(db(), 'garmin')).toEqual(before);
  });

  it('the same FIT file inside an export zip adds nothing new (ids are the FIT bytes hash)', async () => {
    const zip = await buildExportZip();
    const before = await countRows(db(), 'garmin', `stream LIKE 'fit_%'`);
    const r = await ingest(db(), garmin, { files: [zip], logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(await countRows(db(), 'garmin', `stream LIKE 'fit_%'`)).toBe(before);
  });
});
