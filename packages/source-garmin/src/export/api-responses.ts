import { emit, parseJsonPrecise, type Emitted } from '@bronze/core';

/**
 * Garmin Connect API responses saved to a file (by garth, python-garminconnect or a
 * browser's "save response"), recognised by their shape and stored into the API stream that
 * reads the same endpoint, one row per record exactly as the API path cuts them: the
 * stream's own id() and timestamp() then give the same raw_id and source_timestamp, so a
 * day saved by hand and read later through the API is one record, not two.
 */
export interface ApiShape {
  stream: string;
  /** What the endpoint is, for the row's metadata. */
  endpoint: string;
  records: unknown[];
  /** Where each record sits in the body. */
  jsonPath: (index: number) => string;
  /**
   * The body without its records, when they are cut out of a larger object (the weight range's
   * `totalAverage`, `previousDateWeight`, `nextDateWeight`): stored too, so no key is lost.
   */
  rest?: { without: string; value: Record<string, unknown> };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, ...keys: string[]) => keys.every((k) => k in o);

/** Single-object bodies, most specific first. */
const OBJECT_SHAPES: { stream: string; endpoint: string; test: (o: Obj) => boolean; records?: (o: Obj) => unknown[] }[] = [
  { stream: 'sleep', endpoint: 'wellness-service/wellness/dailySleepData', test: (o) => isObj(o.dailySleepDTO) && typeof o.dailySleepDTO.calendarDate === 'string' },
  { stream: 'hrv', endpoint: 'hrv-service/hrv/{day}', test: (o) => isObj(o.hrvSummary) && typeof o.hrvSummary.calendarDate === 'string' },
  { stream: 'weight', endpoint: 'weight-service/weight/range', test: (o) => Array.isArray(o.dailyWeightSummaries), records: (o) => o.dailyWeightSummaries as unknown[] },
  { stream: 'activity_details', endpoint: 'activity-service/activity/{id}', test: (o) => Number.isInteger(o.activityId) && isObj(o.summaryDTO) },
  { stream: 'heart_rate', endpoint: 'wellness-service/wellness/dailyHeartRate', test: (o) => typeof o.calendarDate === 'string' && has(o, 'heartRateValues', 'restingHeartRate') },
  { stream: 'body_battery', endpoint: 'wellness-service/wellness/dailyStress/{day}', test: (o) => typeof o.calendarDate === 'string' && has(o, 'bodyBatteryValuesArray', 'stressValuesArray') },
  { stream: 'daily_summaries', endpoint: 'usersummary-service/usersummary/daily', test: (o) => typeof o.calendarDate === 'string' && has(o, 'userDailySummaryId', 'totalKilocalories') },
  // One entry of the activity list on its own (no summaryDTO: that is the activity detail).
  { stream: 'activities', endpoint: 'activitylist-service/activities/search/activities', test: (o) => Number.isInteger(o.activityId) && typeof o.startTimeGMT === 'string' && !('summaryDTO' in o) },
];

/** List bodies: every element must fit. */
const LIST_SHAPES: { stream: string; endpoint: string; test: (o: Obj) => boolean }[] = [
  { stream: 'activities', endpoint: 'activitylist-service/activities/search/activities', test: (o) => Number.isInteger(o.activityId) && typeof o.startTimeGMT === 'string' && !('summaryDTO' in o) },
  { stream: 'steps', endpoint: 'usersummary-service/stats/steps/daily', test: (o) => typeof o.calendarDate === 'string' && has(o, 'totalSteps', 'stepGoal') },
  // Every key of `values` names a stress figure (highStressDuration, overallStressLevel…): the weekly
  // steps list (stats/steps/weekly, values {totalSteps, averageSteps…}) has the same outline, and
  // its 52 weeks landed in `stress` keyed by their week's first day, as versions of those days.
  { stream: 'stress', endpoint: 'usersummary-service/stats/stress/daily', test: (o) => typeof o.calendarDate === 'string' && isObj(o.values) && Object.keys(o).length === 2 && Object.keys(o.values).every((k) => /stress/i.test(k)) },
  { stream: 'training_readiness', endpoint: 'metrics-service/metrics/trainingreadiness/{day}', test: (o) => typeof o.calendarDate === 'string' && typeof o.timestamp === 'string' && has(o, 'level', 'score') },
];

/** The API stream a response body belongs to, and its records; undefined when no shape fits. */
export function recogniseApiResponse(body: unknown): ApiShape | undefined {
  if (isObj(body)) {
    const s = OBJECT_SHAPES.find((shape) => shape.test(body));
    if (!s) return undefined;
    if (!s.records) return { stream: s.stream, endpoint: s.endpoint, records: [body], jsonPath: () => '$' };
    const { dailyWeightSummaries: _cut, ...rest } = body;
    return {
      stream: s.stream, endpoint: s.endpoint, records: s.records(body), jsonPath: (i) => `$.dailyWeightSummaries[${i}]`,
      ...(Object.keys(rest).length ? { rest: { without: 'dailyWeightSummaries', value: rest } } : {}),
    };
  }
  // An empty list fits every list shape: nothing to tell it by, so it is no API response.
  if (Array.isArray(body) && body.length > 0 && body.every(isObj)) {
    const s = LIST_SHAPES.find((shape) => body.every((o) => shape.test(o as Obj)));
    return s && { stream: s.stream, endpoint: s.endpoint, records: body, jsonPath: (i) => `$[${i}]` };
  }
  return undefined;
}

/**
 * A standalone JSON file's rows when it is a saved API response; undefined otherwise. The part
 * of the body that is not records goes to export_other as `{path, size, sha256, format: 'json',
 * content}` with raw_id `rest:<fileId>` (`fileId`: the file's name and sha256), so a weight
 * range with no weigh-in (an empty `dailyWeightSummaries`) is still stored, not "0 records".
 */
export function apiResponseRows(path: string, buf: Buffer, file: { id: string; size: number; sha256: string }): Emitted[] | undefined {
  let body: unknown;
  try {
    body = parseJsonPrecise(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  const shape = recogniseApiResponse(body);
  if (!shape) return undefined;
  const rows = shape.records.map((record, i) =>
    emit(record, { stream: shape.stream, metadata: { entry: path, savedResponse: shape.endpoint, jsonPath: shape.jsonPath(i) } }),
  );
  if (shape.rest) {
    const rest = { path, size: file.size, sha256: file.sha256, format: 'json' as const, content: shape.rest.value };
    const metadata = { entry: path, savedResponse: shape.endpoint, role: 'rest', without: shape.rest.without };
    rows.push(emit(rest, { stream: 'export_other', rawId: `rest:${file.id}`, metadata }));
  }
  return rows;
}
