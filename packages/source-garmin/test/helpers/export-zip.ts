import { mkdtempSync, readFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const FIT_DIR = join(FIXTURES, 'fit');

/** A daily summary exactly as Garmin Connect returns it (the UDS export holds the same shape). */
function recordedDailySummary(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, 'connect_api', 'garth_test_daily_summary_get.2.json'), 'utf8')).body;
}

export function summarizedActivities(): unknown {
  const base = {
    userProfileId: 2591602, timeZoneId: 124, eventTypeId: 9, rule: 'subscribers', manufacturer: 'GARMIN', deviceId: 3469703076,
    summarizedDiveInfo: { summarizedDiveGases: [] }, favorite: false, pr: false, purposeful: false, autoCalcCalories: false,
  };
  return [{
    summarizedActivitiesExport: [
      { ...base, activityId: 11497392145, name: 'Morning Run', activityType: 'running', sportType: 'RUNNING', beginTimestamp: 1689852000000, startTimeGmt: 1689852000000, startTimeLocal: 1689830400000, duration: 2733119.873046875, distance: 815134.9609375, elevationGain: 5600.0, avgHr: 148.0, maxHr: 171.0, calories: 2583.6608, steps: 7500, lapCount: 9, splitSummaries: [{ noOfSplits: 1, totalAscent: 56.0, duration: 2733119.873, splitType: 'INTERVAL_ACTIVE', distance: 815134.96 }] },
      { ...base, activityId: 11511133220, name: 'Pool Swim', activityType: 'lap_swimming', sportType: 'SWIMMING', beginTimestamp: 1690012800000, startTimeGmt: 1690012800000, startTimeLocal: 1689991200000, duration: 1800000.0, distance: 150000.0, avgHr: 121.0, calories: 1200.5, poolLength: 2500.0, unitOfPoolLength: { unitId: 1, unitKey: 'meter', factor: 100.0 }, activeLengths: 60 },
    ],
  }];
}

export function sleepData(revised = false): unknown {
  const night = (date: string, start: string, end: string, deep: number) => ({
    sleepStartTimestampGMT: start, sleepEndTimestampGMT: end, calendarDate: date, sleepWindowConfirmationType: 'ENHANCED_CONFIRMED_FINAL',
    deepSleepSeconds: deep, lightSleepSeconds: 13440, remSleepSeconds: 6720, awakeSleepSeconds: 480, unmeasurableSeconds: 0,
    averageRespiration: 14.0, lowestRespiration: 9.0, highestRespiration: 20.0, retro: false, awakeCount: 1, avgSleepStress: 12.0,
    sleepScores: { overallScore: 84, qualityScore: 80, durationScore: 88, recoveryScore: 95, deepScore: 90, remScore: 85, feedback: 'POSITIVE_LONG_AND_DEEP', insight: 'POSITIVE_EXERCISE' },
  });
  return [
    night('2023-07-19', '2023-07-18T22:41:00.0', '2023-07-19T05:47:00.0', 4920),
    night('2023-07-20', '2023-07-19T23:02:00.0', '2023-07-20T06:10:00.0', revised ? 5100 : 4980),
  ];
}

export function udsFile(revised = false): unknown {
  const day = recordedDailySummary();
  return [
    { ...day, calendarDate: '2025-06-13', totalSteps: 8120 },
    { ...day, calendarDate: '2025-06-14', ...(revised ? { totalSteps: 6001, lastSyncTimestampGMT: '2025-06-16T08:00:00.0' } : {}) },
  ];
}

export interface ExportOptions {
  /** Changes one night of sleep and one day of summaries, as a later export would. */
  revised?: boolean;
  /** Adds a UDS file that ends in the middle of an element. */
  truncatedJson?: boolean;
}

function zipTo(path: string, add: (zip: yazl.ZipFile) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    add(zip);
    zip.end();
    zip.outputStream.pipe(createWriteStream(path)).on('close', () => resolve(path)).on('error', reject);
  });
}

function zipBuffer(add: (zip: yazl.ZipFile) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    add(zip);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

const mtime = new Date('2024-01-01T00:00:00Z');
const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 1));

/** A Garmin account export as its folders are laid out, built from real-shaped files. */
export async function buildExportZip(o: ExportOptions = {}): Promise<string> {
  const uploaded = await zipBuffer((z) => {
    z.addBuffer(readFileSync(join(FIT_DIR, 'garth_12129115726_ACTIVITY.fit')), '12129115726_ACTIVITY.fit', { mtime });
    z.addBuffer(readFileSync(join(FIT_DIR, 'fitparse_activity-unexpected-eof.fit')), 'truncated_ACTIVITY.fit', { mtime });
  });
  const dir = mkdtempSync(join(tmpdir(), 'garmin-export-'));
  const dc = 'DI_CONNECT';
  return zipTo(join(dir, 'garmin-export.zip'), (z) => {
    z.addBuffer(json(summarizedActivities()), `${dc}/DI-Connect-Fitness/me@example.com_0_summarizedActivities.json`, { mtime });
    z.addBuffer(json(sleepData(o.revised)), `${dc}/DI-Connect-Wellness/me@example.com_0_sleepData.json`, { mtime });
    z.addBuffer(json(udsFile(o.revised)), `${dc}/DI-Connect-Aggregator/UDSFile_2025-06-13_2025-06-14.json`, { mtime });
    z.addBuffer(json([{ calendarDate: '2025-06-14', metrics: [{ type: 'HRV', value: 42, status: 'IN_RANGE' }, { type: 'SPO2', value: 96 }] }]), `${dc}/DI-Connect-Wellness/me@example.com_0_healthStatusData.json`, { mtime });
    z.addBuffer(json([{ userId: 2591602, calendarDate: '2025-06-14', vo2MaxValue: 48.0, maxMetCategory: 0, sport: 'RUNNING' }]), `${dc}/DI-Connect-Metrics/MetricsMaxMetData_20250101_20250615_2591602.json`, { mtime });
    z.addBuffer(json([{ personalRecordType: 'FASTEST_5K', value: 1432.5, activityId: 11497392145, prStartTimeGmt: 1689852000000 }]), `${dc}/DI-Connect-Fitness/me@example.com_0_personalRecord.json`, { mtime });
    z.addBuffer(json({ userName: 'me@example.com', displayName: 'me', locale: 'en' }), `${dc}/DI-Connect-User/user_profile.json`, { mtime });
    z.addBuffer(Buffer.from('Garmin export README\n'), `${dc}/README.txt`, { mtime });
    z.addBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), `${dc}/DI-Connect-User/avatar.png`, { mtime });
    z.addBuffer(uploaded, `${dc}/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip`, { mtime });
    if (o.truncatedJson) z.addBuffer(json(udsFile()).subarray(0, 900), `${dc}/DI-Connect-Aggregator/UDSFile_2025-06-15_2025-06-16.json`, { mtime });
  });
}
