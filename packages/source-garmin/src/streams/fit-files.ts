import { defineStream } from '@bronze/core';
import { fitFileId, fitFileTimestamp, FitFileSchema, type FitFileRow } from '@bronze/fit';

/** One row per FIT file: header of each section, message counts, decoder, damage if any. raw_id: the file's sha256. */
export const fitFiles = defineStream<FitFileRow>({
  name: 'fit_files',
  schema: FitFileSchema,
  id: fitFileId,
  timestamp: fitFileTimestamp,
});
