import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, silentLogger } from '@bronze/core';
import { describeOneEngine, tableSnapshot } from '@bronze/testkit';
import { expect, it } from 'vitest';
import garmin from '../src/index.js';
import { buildExportZip } from './helpers/export-zip.js';

const logger = silentLogger();

/** The export zip unzipped as a user does, by Python's zipfile (not bronze's reader). */
function unzipped(zip: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'garmin-unzipped-'));
  execFileSync('python3', ['-c', 'import sys,zipfile;zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, dir]);
  // What a Mac adds: not the export's.
  writeFileSync(join(dir, 'DI_CONNECT', '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
  return dir;
}

/** Entries of the zip and, per entry, what the zip import stores: counted by Python from the zip itself. */
function zipEntries(zip: string): string[] {
  return JSON.parse(execFileSync('python3', ['-c', 'import sys,json,zipfile;print(json.dumps(sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if not n.endswith("/"))))', zip], { encoding: 'utf8' })) as string[];
}

async function streamCounts(db: Parameters<typeof tableSnapshot>[0]): Promise<Record<string, number>> {
  const rows = await db.withSession((s) => s.query<{ stream: string; n: number }>(`SELECT stream, count(*)::int AS n FROM bronze_garmin GROUP BY stream ORDER BY stream`));
  return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
}

describeOneEngine('garmin: an unzipped account export imported as a folder is stored as its zip is', (db) => {
  it('each file under DI_CONNECT/ in the stream the zip gives it, under the same ids; hidden files left out', async () => {
    const zip = await buildExportZip();
    const folder = unzipped(zip);
    const entries = zipEntries(zip);
    expect(entries).toHaveLength(10);
    const r = await ingest(db(), garmin, { files: [folder], logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(await streamCounts(db())).toMatchObject({
      export_activities: 2, export_sleep: 2, export_daily_summaries: 2, export_wellness: 1, export_metrics: 1, export_fitness: 1, export_other: 3, fit_files: 2,
    });
    const others = await db().withSession((s) => s.query<{ raw_id: string }>(`SELECT raw_id FROM bronze_garmin WHERE stream = 'export_other' ORDER BY raw_id`));
    // The entries no stream parses: not JSON of a known kind or folder, not FIT, not a zip.
    expect(others.map((o) => o.raw_id)).toEqual(entries.filter((n) => /README\.txt$|avatar\.png$|user_profile\.json$/.test(n)));
    expect(r.notes.join('\n')).toContain('1 file(s) left out, not files this source imports (DI_CONNECT/.DS_Store)');
  });

  it('the zip afterwards adds nothing: no entry stored twice under two ids', async () => {
    const before = await tableSnapshot(db(), 'garmin');
    const r = await ingest(db(), garmin, { files: [await buildExportZip()], logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(0);
    expect(await tableSnapshot(db(), 'garmin')).toEqual(before);
  });
});
