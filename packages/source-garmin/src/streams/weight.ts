import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayKeyedStream } from './day-keyed.js';

/** Daily weight summaries with every weigh-in of the day, read 28 days per request: one row per day. */
export const weight = (config: GarminConfig) =>
  dayKeyedStream<{ summaryDate: string }>({
    name: 'weight',
    schema: Type.Object({ summaryDate: Type.String(), allWeightMetrics: Type.Optional(Type.Array(Type.Unknown())) }, { additionalProperties: true }),
    range: { maxDays: 28, request: (from, to) => ({ path: `weight-service/weight/range/${from}/${to}`, query: { includeAll: true } }) },
    items: (body) => (Array.isArray(body?.dailyWeightSummaries) ? body.dailyWeightSummaries : []),
    day: (r) => r.summaryDate,
  }, config);
