import { defineStream, Type } from '@bronze/core';
import { parseAppleDate } from '../apple-date.js';
import type { Electrocardiogram } from '../parts/ecg-csv.js';

export const ElectrocardiogramSchema = Type.Object({
  file: Type.String(),
  header: Type.Object({ 'Recorded Date': Type.String() }, { additionalProperties: true }),
  samples: Type.Array(Type.String()),
});

const recorded = (e: Electrocardiogram) => (typeof e.header['Recorded Date'] === 'string' ? e.header['Recorded Date'] : undefined);

/**
 * `electrocardiograms/*.csv`: one record per ECG recording (header fields and samples).
 * raw_id: its `Recorded Date` as written (one recording per instant), else `file:<path>`.
 */
export const electrocardiograms = defineStream<Electrocardiogram>({
  name: 'electrocardiograms',
  schema: ElectrocardiogramSchema,
  id: (e) => recorded(e) ?? `file:${e.file}`,
  timestamp: (e) => parseAppleDate(recorded(e)),
});
