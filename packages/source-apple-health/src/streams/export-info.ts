import { defineStream, Type } from '@bronze/core';
import { parseAppleDate } from '../apple-date.js';
import { canonicalElement, contentId } from '../identity.js';
import { AppleDate, open } from './schema-parts.js';

/** The export itself: HealthData's attributes (locale) and its `<ExportDate>` (absent from some exports). */
export interface ExportInfo {
  HealthData: Record<string, string>;
  ExportDate?: Record<string, string>;
}

export const ExportInfoSchema = Type.Object(
  {
    HealthData: Type.Object({ locale: Type.Optional(Type.String()) }, open),
    ExportDate: Type.Optional(Type.Object({ value: AppleDate }, open)),
  },
  open,
);

/**
 * One record per export, identified by its export date; an export without `<ExportDate>`
 * by `HealthData:` and the hash of HealthData's attributes (its locale is all it says).
 */
export const exportInfo = defineStream<ExportInfo>({
  name: 'export_info',
  schema: ExportInfoSchema,
  id: (e) => e.ExportDate?.value ?? `HealthData:${contentId(canonicalElement(e.HealthData))}`,
  timestamp: (e) => parseAppleDate(e.ExportDate?.value),
});
