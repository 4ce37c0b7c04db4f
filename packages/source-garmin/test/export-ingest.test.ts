import { ingest, silentLogger } from '@bronze/core';
import { countRows, describeOneEngine, tableSnapshot } from '@bronze/testkit';
import { expect, it } from 'vitest';
import garmin from '../src/index.js';
import { buildExportZip } from './helpers/export-zip.js';

const logger = silentLogger();

async function streamCounts(db: Parameters<typeof countRows>[0]): Promise<Record<string, number>> {
  const rows = await db.withSession((s) => s.query<{ stream: string; n: number }>(`SELECT stream, count(*)::int AS n FROM bronze_garmin GROUP BY stream ORDER BY stream`));
  return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
}

describeOneEngine('garmin account export', (db) => {
  it('maps each file of the export to its stream; unknown files to export_other with their path', async () => {
    const r = await ingest(db(), garmin, { files: [await buildExportZip()], logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const counts = await streamCounts(db());
    expect(counts).toMatchObject({
      export_activities: 2, export_sleep: 2, export_daily_summaries: 2, export_wellness: 1, export_metrics: 1, export_fitness: 1, export_other: 3, fit_files: 2,
    });
    const ids = await db().withSession((s) => s.query<{ stream: string; raw_id: string; entry: string }>(
      `SELECT stream, raw_id, metadata->>'entry' AS entry FROM bronze_garmin WHERE stream IN ('export_activities', 'export_sleep', 'export_daily_summaries', 'export_other') ORDER BY stream, raw_id`,
    ));
    expect(ids.map((i) => `${i.stream}:${i.raw_id}`)).toEqual([
      'export_activities:11497392145', 'export_activities:11511133220',
      'export_daily_summaries:2025-06-13', 'export_daily_summaries:2025-06-14',
      'export_other:DI_CONNECT/DI-Connect-User/avatar.png', 'export_other:DI_CONNECT/DI-Connect-User/user_profile.json', 'export_other:DI_CONNECT/README.txt',
      'export_sleep:2023-07-19', 'export_sleep:2023-07-20',
    ]);
    const [profile] = await db().withSession((s) => s.query<{ format: string; name: string }>(
      `SELECT raw_data->>'format' AS format, raw_data->'content'->>'displayName' AS name FROM bronze_garmin WHERE raw_id = 'DI_CONNECT/DI-Connect-User/user_profile.json'`,
    ));
    expect(profile).toEqual({ format: 'json', name: 'me' });
    // The FIT files of the uploaded-files zip inside the export, named by their path in both archives.
    const fits = await db().withSession((s) => s.query<{ entry: string; status: string }>(
      `SELECT metadata->>'entry' AS entry, validation_status AS status FROM bronze_garmin WHERE stream = 'fit_files' ORDER BY 1`,
    ));
    expect(fits).toEqual([
      { entry: 'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!12129115726_ACTIVITY.fit', status: 'valid' },
      { entry: 'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!truncated_ACTIVITY.fit', status: 'invalid' },
    ]);
    const [activity] = await db().withSession((s) => s.query<{ ts: string }>(`SELECT source_timestamp AS ts FROM bronze_garmin WHERE stream = 'export_activities' AND raw_id = '11497392145'`));
    expect(new Date(activity.ts).toISOString()).toBe('2023-07-20T11:20:00.000Z');
  });

  it('re-importing the same export adds 0 rows', async () => {
    const before = await tableSnapshot(db(), 'garmin');
    const r = await ingest(db(), garmin, { files: [await buildExportZip()], logger, env: {}, force: true });
    expect(r.inserted).toBe(0);
    expect(await tableSnapshot(db(), 'garmin')).toEqual(before);
  });

  it('a later export with one revised night and one revised day adds exactly those two new versions', async () => {
    const before = await countRows(db(), 'garmin');
    const r = await ingest(db(), garmin, { files: [await buildExportZip({ revised: true })], logger, env: {} });
    expect(r.inserted).toBe(2);
    expect(await countRows(db(), 'garmin')).toBe(before + 2);
    const versions = await db().withSession((s) => s.query<{ stream: string; raw_id: string; version: number }>(
      `SELECT stream, raw_id, version FROM bronze_garmin WHERE version > 1 ORDER BY stream`,
    ));
    expect(versions).toEqual([
      { stream: 'export_daily_summaries', raw_id: '2025-06-14', version: 2 },
      { stream: 'export_sleep', raw_id: '2023-07-20', version: 2 },
    ]);
  });

  it('a JSON file cut short keeps the entries before the damage and is stored in export_other, invalid', async () => {
    const r = await ingest(db(), garmin, { files: [await buildExportZip({ truncatedJson: true })], logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const [bad] = await db().withSession((s) => s.query<{ status: string; error: string }>(
      `SELECT validation_status AS status, error_message AS error FROM bronze_garmin WHERE stream = 'export_other' AND raw_id LIKE '%UDSFile_2025-06-15%'`,
    ));
    expect(bad.status).toBe('invalid');
    expect(bad.error).toMatch(/UDSFile_2025-06-15_2025-06-16\.json: could not be read as UDSFile: not valid JSON/);
  });
});
