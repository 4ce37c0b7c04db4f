import { defineStream, Type } from '@bronze/core';
import { isoInstant } from '../time.js';
import { open, part } from './open-object.js';

export interface FitDailyRow {
  /** The day: from the file name (`2019-08-10.csv`), or the row's `Date` in the summary file. */
  date: string | null;
  /** The CSV row as written (header → text). */
  row: Record<string, string>;
}

const dayOf = (r: FitDailyRow) => r.date ?? r.row.Date ?? '';

/**
 * `Fit/Daily activity metrics/*.csv`: per-interval rows of each day's file, and the
 * per-day rows of the summary `Daily activity metrics.csv`. raw_id: day and `Start time`.
 */
export const fitDailyActivityMetrics = defineStream<FitDailyRow>({
  name: 'fit_daily_activity_metrics',
  schema: Type.Object({ date: Type.Union([Type.String(), Type.Null()]), row: Type.Record(Type.String(), Type.String()) }),
  id: (r) => `${dayOf(r)}|${r.row['Start time'] ?? ''}`,
  // `Start time` is the day's local time with its offset: `00:15:00.000+01:00`.
  timestamp: (r) => isoInstant(`${dayOf(r)}T${r.row['Start time'] ?? '00:00:00.000Z'}`) ?? isoInstant(`${dayOf(r)}T00:00:00Z`),
});

type Session = Record<string, unknown>;

/** `Fit/All sessions/*.json`: one row per session file, the whole document. raw_id: startTime, fitnessActivity. */
export const fitSessions = defineStream<Session>({
  name: 'fit_sessions',
  schema: Type.Object({ startTime: Type.Optional(Type.String()), fitnessActivity: Type.Optional(Type.String()) }, open),
  id: (s) => `${part(s.startTime)}|${part(s.fitnessActivity)}`,
  timestamp: (s) => isoInstant(s.startTime),
});
