import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow } from '../day-streams.js';
import { garminInstant } from '../time.js';

type WeightDay = { summaryDate: string };

/** Daily weight summaries with every weigh-in of the day, read 28 days per request: one row per day. */
export const weight = (config: GarminConfig) =>
  defineApiStream<WeightDay>({
    name: 'weight',
    schema: Type.Object({ summaryDate: Type.String(), allWeightMetrics: Type.Optional(Type.Array(Type.Unknown())) }, { additionalProperties: true }),
    id: (r) => r.summaryDate,
    timestamp: (r) => garminInstant(r.summaryDate),
    request: ({ from, to }) => ({ path: `weight-service/weight/range/${from}/${to}`, query: { includeAll: true } }),
    items: (body) => (Array.isArray(body?.dailyWeightSummaries) ? body.dailyWeightSummaries : []),
    incremental: dayWindow<WeightDay>(config, { daysPerRequest: 28, day: (r) => r.summaryDate }),
  });
