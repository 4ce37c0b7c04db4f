import { defineStream, Type } from '@bronze/core';
import { parseAppleDate } from '../apple-date.js';
import { AppleDate, open } from './schema-parts.js';

/** The export itself: HealthData's attributes (locale) and its `<ExportDate>`. */
export interface ExportInfo {
  HealthData: Record<string, string>;
  ExportDate: Record<string, string>;
}

export const ExportInfoSchema = Type.Object(
  {
    HealthData: Type.Object({ locale: Type.Optional(Type.String()) }, open),
    ExportDate: Type.Object({ value: AppleDate }, open),
  },
  open,
);

/** One record per export, identified by its export date. */
export const exportInfo = defineStream<ExportInfo>({
  name: 'export_info',
  schema: ExportInfoSchema,
  id: (e) => e.ExportDate.value,
  timestamp: (e) => parseAppleDate(e.ExportDate.value),
});
