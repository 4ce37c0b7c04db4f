import type { Session } from '../db/session.js';
import { quoteIdent } from '../archive/catalog.js';

/**
 * Generated bronze data for measuring reads at scale (`pnpm bench --queries`): millions of
 * realistic rows of three sources, written server-side into the real schema in minutes.
 * Not for real databases: it writes bronze tables directly, not through the loader.
 */

/** One stream of the generated bronze data: its share of the rows and its record's SQL shape. */
export interface GeneratedStream {
  source: string;
  stream: string;
  /** Share of all rows. */
  share: number;
  /** SQL expression of raw_data from i (row number in the month) and ts (timestamptz). */
  rawData: string;
}

const APPLE_TYPES = [
  ['HKQuantityTypeIdentifierHeartRate', 'count/min', 35],
  ['HKQuantityTypeIdentifierActiveEnergyBurned', 'kcal', 20],
  ['HKQuantityTypeIdentifierBasalEnergyBurned', 'kcal', 15],
  ['HKQuantityTypeIdentifierStepCount', 'count', 10],
  ['HKQuantityTypeIdentifierDistanceWalkingRunning', 'km', 10],
  ['HKQuantityTypeIdentifierFlightsClimbed', 'count', 3],
  ['HKQuantityTypeIdentifierHeartRateVariabilitySDNN', 'ms', 3],
  ['HKCategoryTypeIdentifierSleepAnalysis', '', 2],
  ['HKQuantityTypeIdentifierBodyMass', 'kg', 1],
  ['HKQuantityTypeIdentifierRespiratoryRate', 'count/min', 1],
] as const;

/** CASE over i % 100 picking a type by its share (the proportions of a real Apple Watch export). */
function appleType(field: 0 | 1): string {
  let upTo = 0;
  const arms = APPLE_TYPES.map((t) => {
    upTo += t[2];
    return `WHEN i % 100 < ${upTo} THEN '${t[field]}'`;
  });
  return `CASE ${arms.join(' ')} END`;
}

export const GENERATED_STREAMS: GeneratedStream[] = [
  {
    source: 'apple_health', stream: 'records', share: 0.86,
    rawData: `jsonb_build_object('type', ${appleType(0)}, 'unit', ${appleType(1)}, 'value', ((i * 7919) % 120 + 40)::text,
      'sourceName', CASE WHEN i % 3 = 0 THEN 'iPhone' ELSE 'Apple Watch de Jo' END, 'sourceVersion', '10.' || (i % 7),
      'device', '<<HKDevice: 0x2830' || (i % 97) || '>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1>',
      'creationDate', to_char(ts + interval '3 minutes', 'YYYY-MM-DD HH24:MI:SS +0000'),
      'startDate', to_char(ts, 'YYYY-MM-DD HH24:MI:SS +0000'), 'endDate', to_char(ts + interval '1 minute', 'YYYY-MM-DD HH24:MI:SS +0000'))`,
  },
  {
    source: 'apple_health', stream: 'workouts', share: 0.01,
    rawData: `jsonb_build_object('workoutActivityType', CASE WHEN i % 2 = 0 THEN 'HKWorkoutActivityTypeRunning' ELSE 'HKWorkoutActivityTypeCycling' END,
      'duration', (i % 90 + 20)::text, 'durationUnit', 'min', 'sourceName', 'Apple Watch de Jo',
      'startDate', to_char(ts, 'YYYY-MM-DD HH24:MI:SS +0000'), 'endDate', to_char(ts + interval '45 minutes', 'YYYY-MM-DD HH24:MI:SS +0000'),
      'WorkoutEvent', (SELECT jsonb_agg(jsonb_build_object('type', 'HKWorkoutEventTypeSegment', 'date', to_char(ts + k * interval '5 minutes', 'YYYY-MM-DD HH24:MI:SS +0000'),
        'duration', '5', 'durationUnit', 'min')) FROM generate_series(1, 8) k),
      'WorkoutStatistics', jsonb_build_array(jsonb_build_object('type', 'HKQuantityTypeIdentifierActiveEnergyBurned', 'sum', (i % 700)::text, 'unit', 'kcal'),
        jsonb_build_object('type', 'HKQuantityTypeIdentifierHeartRate', 'average', (i % 60 + 110)::text, 'minimum', '95', 'maximum', '181', 'unit', 'count/min')))`,
  },
  {
    source: 'garmin', stream: 'heart_rate', share: 0.08,
    rawData: `jsonb_build_object('calendarDate', to_char(ts, 'YYYY-MM-DD'), 'startTimestampGMT', to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS.0'),
      'restingHeartRate', 48 + i % 9, 'maxHeartRate', 150 + i % 30, 'minHeartRate', 44 + i % 6,
      'heartRateValues', (SELECT jsonb_agg(jsonb_build_array(extract(epoch FROM ts)::bigint * 1000 + k * 120000, 55 + (i * k) % 50)) FROM generate_series(1, 12) k))`,
  },
  {
    source: 'garmin', stream: 'activities', share: 0.01,
    rawData: `jsonb_build_object('activityId', 9000000000 + i, 'activityName', 'Morning Run', 'activityType', jsonb_build_object('typeKey', 'running', 'typeId', 1),
      'startTimeGMT', to_char(ts, 'YYYY-MM-DD HH24:MI:SS'), 'distance', (i % 20000)::float / 2, 'duration', (i % 5400)::float, 'averageHR', 140 + i % 20,
      'maxHR', 175 + i % 10, 'calories', i % 900, 'elevationGain', i % 300, 'steps', i % 12000, 'vO2MaxValue', 50 + i % 5,
      'summaryDTO', jsonb_build_object('trainingEffect', 3.1, 'anaerobicTrainingEffect', 1.2, 'averageSpeed', 3.2, 'maxSpeed', 4.9))`,
  },
  {
    source: 'toggl', stream: 'time_entries', share: 0.04,
    rawData: `jsonb_build_object('id', 3000000000 + i, 'workspace_id', 4242, 'project_id', 100 + i % 17, 'task_id', NULL, 'billable', i % 5 = 0,
      'start', to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'stop', to_char(ts + interval '50 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      'duration', 3000, 'description', 'Deep work on item ' || (i % 313), 'tags', jsonb_build_array('focus', 'client-' || (i % 7)),
      'tag_ids', jsonb_build_array(i % 50), 'at', to_char(ts + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'user_id', 777)`,
  },
];

export const GENERATED_SOURCES = [...new Set(GENERATED_STREAMS.map((s) => s.source))];

/**
 * Loads one month of one source the way bronze's bulk path does: a standalone
 * unindexed table filled server-side, then ATTACH PARTITION (which builds the indexes).
 * Every 50th record has a second version (a later re-export changed it). ingested_at
 * follows the source time by two days, as daily runs would.
 */
export async function loadGeneratedMonth(s: Session, source: string, month: string, totalRows: number, months: number): Promise<number> {
  const table = `bronze_${source}`;
  const part = `${table}_${month.slice(0, 4)}_${month.slice(5, 7)}`;
  const stage = `${table}_gen`;
  const start = `${month}T00:00:00Z`;
  const end = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString();
  await s.query(`DROP TABLE IF EXISTS ${stage}`);
  await s.query(`CREATE TABLE ${stage} (LIKE ${table} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS)`);
  let rows = 0;
  for (const g of GENERATED_STREAMS.filter((x) => x.source === source)) {
    const n = Math.max(1, Math.round((totalRows * g.share) / months));
    const insert = (version: 1 | 2, every: number) => `
      INSERT INTO ${stage} (source, stream, raw_data, record_hash, source_timestamp, raw_id, version, ingested_at, environment,
        pipeline_run_id, pipeline_version, lineage_type, lineage_source, lineage_timestamp, file_path, file_hash, file_size, encoding, metadata)
      SELECT '${source}', '${g.stream}', d.raw, encode(sha256(convert_to(d.raw::text, 'UTF8')), 'hex'), ts, '${month}:' || i, ${version},
        ts + interval '2 days' + ${version - 1} * interval '40 days', 'production', md5(to_char(ts, 'YYYY-MM-DD'))::uuid,
        'core@0.1.0 ${source}@0.1.0', 'file', '/data/exports/${source}-' || to_char(ts, 'YYYY-MM') || '.zip', ts + interval '2 days',
        '/data/exports/${source}-' || to_char(ts, 'YYYY-MM') || '.zip', md5(to_char(ts, 'YYYY-MM')) || md5(to_char(ts, 'MM-YYYY')), 104857600, 'utf-8',
        jsonb_build_object('line', i)
      FROM generate_series(1, ${n}) i,
        LATERAL (SELECT '${start}'::timestamptz + (i - 0.5) / ${n} * ('${end}'::timestamptz - '${start}'::timestamptz) AS ts) t,
        LATERAL (SELECT ${version === 2 ? `${g.rawData} || '{"revised": true}'` : g.rawData} AS raw) d
      WHERE i % ${every} = 0`;
    await s.query(insert(1, 1));
    await s.query(insert(2, 50));
    rows += n + Math.floor(n / 50);
  }
  await s.query(`INSERT INTO ${table}_latest (stream, raw_id, version, record_hash)
    SELECT DISTINCT ON (stream, raw_id) stream, raw_id, version, record_hash FROM ${stage} ORDER BY stream, raw_id, version DESC`);
  await s.query(`ALTER TABLE ${stage} ADD CONSTRAINT gen_range CHECK (source_timestamp IS NOT NULL AND source_timestamp >= '${start}' AND source_timestamp < '${end}')`);
  await s.query(`ALTER TABLE ${stage} RENAME TO ${part}`);
  await s.query(`ALTER TABLE ${table} ATTACH PARTITION ${part} FOR VALUES FROM ('${start}') TO ('${end}')`);
  await s.query(`ALTER TABLE ${part} DROP CONSTRAINT gen_range`);
  return rows;
}

/** The mark that generated data finished loading (a comment on bronze_toggl, the last source loaded). */
export async function generatedDataLoaded(s: Session): Promise<boolean> {
  const [{ done }] = await s.query<{ done: boolean }>(`SELECT obj_description(to_regclass('bronze_toggl'), 'pg_class') IS NOT DISTINCT FROM 'loaded' AS done`);
  return done;
}

/** Drops the generated sources' tables (a load that did not finish starts again). */
export async function dropGeneratedTables(s: Session): Promise<void> {
  for (const source of GENERATED_SOURCES) await s.query(`DROP TABLE IF EXISTS ${quoteIdent(`bronze_${source}`)}, ${quoteIdent(`bronze_${source}_latest`)} CASCADE`);
}

/** After a load: statistics and visibility maps for the planner, then the mark. */
export async function finishGeneratedLoad(s: Session): Promise<void> {
  for (const source of GENERATED_SOURCES) await s.query(`VACUUM (ANALYZE) ${quoteIdent(`bronze_${source}`)}`);
  await s.query(`COMMENT ON TABLE bronze_toggl IS 'loaded'`);
  for (const source of GENERATED_SOURCES) await s.query(`ANALYZE ${quoteIdent(`bronze_${source}_latest`)}`);
}

/** Estimated rows and bytes (indexes included) of the generated sources' partitions. */
export async function generatedTableFacts(s: Session): Promise<{ rows: number; bytes: number }> {
  const [r] = await s.query<{ rows: string; bytes: string }>(
    `SELECT (SELECT sum(reltuples)::bigint FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
              WHERE i.inhparent::regclass::text = ANY ($1))::text AS rows,
            (SELECT sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent::regclass::text = ANY ($1))::text AS bytes`,
    [GENERATED_SOURCES.map((x) => `bronze_${x}`)],
  );
  return { rows: Number(r.rows), bytes: Number(r.bytes) };
}

/** The newest ingested_at of bronze_<source> (null when empty). */
export async function lastIngestedAt(s: Session, source: string): Promise<Date | null> {
  const [r] = await s.query<{ last: Date | null }>(`SELECT max(ingested_at) AS last FROM ${quoteIdent(`bronze_${source}`)}`);
  return r.last === null ? null : new Date(r.last);
}
