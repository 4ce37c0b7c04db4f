import { defineStream } from '@bronze/core';
import { fitFileId, fitFileTimestamp, FitFileSchema, type FitFileRow } from '@bronze/fit';

/**
 * One row per FIT activity file, exactly the Garmin source's fit_files row (@bronze/fit).
 * raw_id: the Strava activity id (from activities.csv), else `file:<path in the export>`
 * (given by the reader; the sha256 below is only the fallback of a record read without one).
 */
export const fitFiles = defineStream<FitFileRow>({
  name: 'fit_files',
  schema: FitFileSchema,
  id: fitFileId,
  timestamp: fitFileTimestamp,
});
