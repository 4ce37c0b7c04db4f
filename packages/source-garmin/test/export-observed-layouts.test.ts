import { mkdtempSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, silentLogger } from '@bronze/core';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import yazl from 'yazl';
import garmin from '../src/index.js';

/**
 * Layouts and file names seen in real Garmin exports (see test/fixtures/README.md, "Real exports
 * seen, not copied"): the files below are written here with those shapes and names, values
 * made up, because the real ones are someone's health data published by mistake.
 *  - DI-Connect-Fitness/<e-mail>_personalRecord.json is `[{"personalRecords": [...]}]`, one wrapper
 *    around every record, and its name has no `_0_` counter after the e-mail;
 *  - DI-Connect-Wellness/<from>_<to>_<account id>_nutritionLogs.json puts the date range first,
 *    and the range of the newest file ends on the day of the export, so the next export names it
 *    differently;
 *  - DI-Connect-Wellness/<account id>_userBioMetrics.json dates each entry in `metaData.calendarDate`,
 *    <account id>_fitnessAgeData.json in `asOfDateGmt` (both "2024-05-03T00:00:00.0", Garmin's UTC text).
 */
const logger = silentLogger();
const DC = 'DI_CONNECT';

const record = (id: number, type: string, value: number) => ({
  personalRecordId: id, activityId: 0, value, prStartTimeGMT: 'Tue Jun 10 07:00:00 GMT 2025', personalRecordType: type, createdDate: '2023-07-12', current: true, confirmed: true,
});
const personalRecords = [{ personalRecords: [record(1, 'Most Steps in a Day', 20310), record(2, 'Most Steps in a Week', 68184), record(3, 'Longest Goal Streak', 7)] }];
const day = (date: string) => ({ calendarDate: date, mfpCalorie: { calorieGoal: 1830 } });
const nutrition = [day('2025-12-15'), day('2025-12-16'), day('2025-12-17')];
const bioMetrics = [{ version: 3, metaData: { sequence: 1, calendarDate: '2024-05-03T00:00:00.0' }, weight: { weight: 70100.0 } }];
const fitnessAge = [{ createTimestamp: '2024-06-15T05:00:00.0', asOfDateGmt: '2024-06-15T00:00:00.0', currentBioAge: 30.5, chronologicalAge: 33 }];

function zipOf(files: Record<string, unknown>): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'garmin-observed-')), 'export.zip');
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(JSON.stringify(content)), name, { mtime: new Date('2026-03-06T00:00:00Z') });
    zip.end();
    zip.outputStream.pipe(createWriteStream(path)).on('close', () => resolve(path)).on('error', reject);
  });
}

const firstExport = () => zipOf({
  [`${DC}/DI-Connect-Fitness/user@example.com_personalRecord.json`]: personalRecords,
  [`${DC}/DI-Connect-Wellness/2025-12-15_2026-03-05_114762117_nutritionLogs.json`]: nutrition,
});

describeEachEngine('garmin export: layouts seen in real exports', (db) => {
  const rows = (where: string) => db().withSession((s) => s.query<{ raw_id: string; raw_data: unknown; kind: string; json_path: string }>(
    `SELECT raw_id, raw_data, metadata->>'kind' AS kind, metadata->>'jsonPath' AS json_path FROM bronze_garmin WHERE ${where} ORDER BY metadata->>'jsonPath'`,
  ));

  it('stores each personal record of the [{"personalRecords": [...]}] wrapper as its own row', async () => {
    const r = await ingest(db(), garmin, { files: [await firstExport()], logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const expected = personalRecords[0].personalRecords;
    const stored = await rows(`stream = 'export_fitness'`);
    expect(stored).toHaveLength(expected.length);
    expect(stored.map((s) => s.raw_data)).toEqual(expected);
    expect(stored.map((s) => s.json_path)).toEqual(expected.map((_, i) => `/0.personalRecords[${i}]`));
    expect(new Set(stored.map((s) => s.kind))).toEqual(new Set(['personalRecord']));
  });

  it('names a kind without the account id and date range, one row per element', async () => {
    const stored = await rows(`stream = 'export_wellness'`);
    expect(stored.map((s) => s.raw_data)).toEqual(nutrition);
    expect(new Set(stored.map((s) => s.kind))).toEqual(new Set(['nutritionLogs']));
  });

  it('userBioMetrics and fitnessAgeData entries get the day they are dated as source_timestamp', async () => {
    const r = await ingest(db(), garmin, {
      files: [await zipOf({
        [`${DC}/DI-Connect-Wellness/114762117_userBioMetrics.json`]: bioMetrics,
        [`${DC}/DI-Connect-Wellness/114762117_fitnessAgeData.json`]: fitnessAge,
      })], logger, env: {},
    });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const dated = await db().withSession((s) => s.query<{ kind: string; at: string | null }>(
      `SELECT metadata->>'kind' AS kind, to_char(source_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at FROM bronze_garmin
        WHERE metadata->>'kind' IN ('userBioMetrics', 'fitnessAgeData') ORDER BY 1`));
    expect(dated).toEqual([{ kind: 'fitnessAgeData', at: '2024-06-15 00:00' }, { kind: 'userBioMetrics', at: '2024-05-03 00:00' }]);
  });

  it('the next export, whose file ends on a later day, adds only the new day', async () => {
    const before = await rows(`stream = 'export_wellness'`);
    const later = [...nutrition, day('2025-12-18')];
    const r = await ingest(db(), garmin, {
      files: [await zipOf({ [`${DC}/DI-Connect-Wellness/2025-12-15_2026-06-13_114762117_nutritionLogs.json`]: later })], logger, env: {},
    });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(later.length - nutrition.length);
    const after = await rows(`stream = 'export_wellness'`);
    expect(after.map((s) => s.raw_id).sort()).toEqual([...before.map((s) => s.raw_id), after.find((s) => (s.raw_data as { calendarDate: string }).calendarDate === '2025-12-18')!.raw_id].sort());
  });
});
