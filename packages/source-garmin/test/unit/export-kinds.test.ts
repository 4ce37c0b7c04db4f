import { describe, expect, it } from 'vitest';
import { classifyEntry, kindOf } from '../../src/export/export-kinds.js';
import { unwrapped } from '../../src/export/json-entries.js';

// File names as they appear in real Garmin exports (two public exports seen in 2026, listed in
// test/fixtures/README.md; the account e-mail and numeric id replaced by placeholders). Garmin
// prefixes some names with the account id or e-mail, with or without a counter, and puts the
// date range first or last; the date range of the newest file ends on the day of the export.
const observed: [string, string][] = [
  ['DI_CONNECT/DI-Connect-Wellness/2025-12-15_2026-03-05_114762117_nutritionLogs.json', 'nutritionLogs'],
  ['DI_CONNECT/DI-Connect-Wellness/2025-12-16_2026-07-18_79278513_nutritionLogs.json', 'nutritionLogs'],
  ['DI_CONNECT/DI-Connect-Wellness/114762117_userBioMetrics.json', 'userBioMetrics'],
  ['DI_CONNECT/DI-Connect-Wellness/79278513_fitnessAgeData.json', 'fitnessAgeData'],
  ['DI_CONNECT/DI-Connect-Wellness/79278513_bioMetrics_latest.json', 'bioMetrics_latest'],
  ['DI_CONNECT/DI-Connect-Fitness/user@example.com_personalRecord.json', 'personalRecord'],
  ['DI_CONNECT/DI-Connect-Fitness/first_last@example.com_gear.json', 'gear'],
  ['DI_CONNECT/DI-Connect-Fitness/user@example.com_0_summarizedActivities.json', 'summarizedActivities'],
  ['DI_CONNECT/DI-Connect-Fitness/user@example.com_1001_summarizedActivities.json', 'summarizedActivities'],
  ['DI_CONNECT/DI-Connect-Aggregator/HydrationLogFile_2025-11-26_2026-03-06.json', 'HydrationLogFile'],
  ['DI_CONNECT/DI-Connect-Aggregator/UDSFile_2025-11-26_2026-03-06.json', 'UDSFile'],
  ['DI_CONNECT/DI-Connect-Metrics/MetricsMaxMetData_20251229_20260408_114762117.json', 'MetricsMaxMetData'],
  ['DI_CONNECT/DI-Connect-Wellness/2023-06-10_2023-09-18_114762117_sleepData.json', 'sleepData'],
];

describe('kindOf on file names of real exports', () => {
  it.each(observed)('%s → %s', (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });

  it('a date-first sleep file is still the sleep stream', () => {
    expect(classifyEntry('DI_CONNECT/DI-Connect-Wellness/2023-06-10_2023-09-18_114762117_sleepData.json')).toEqual({ type: 'known', stream: 'export_sleep', kind: 'sleepData' });
  });
});

describe('unwrapped: a list of records wrapped in an object of one key', () => {
  it('cuts a list of objects into its elements, keeps anything else whole', () => {
    expect(unwrapped([{ personalRecords: [{ id: 1 }, { id: 2 }] }][0], '/0')).toEqual([
      [{ id: 1 }, '/0.personalRecords[0]'],
      [{ id: 2 }, '/0.personalRecords[1]'],
    ]);
    // A list of values is one record's field, not records: one row, as written.
    expect(unwrapped({ tags: ['a', 'b'] }, '/0')).toEqual([[{ tags: ['a', 'b'] }, '/0']]);
    expect(unwrapped({ gear: [{ id: 1 }], defaults: {} }, '/0')).toHaveLength(1);
    expect(unwrapped({ empty: [] }, '/0')).toEqual([[{ empty: [] }, '/0']]);
  });
});
