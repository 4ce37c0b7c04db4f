import { defineStream } from '@bronze/core';
import { fitMessagesId, fitMessagesTimestamp, FitMessagesSchema, type FitMessagesRow } from '@bronze/fit';

/**
 * One row per (FIT file, section, message type, chunk of up to 1000 messages), the Garmin
 * source's fit_messages row. raw_id: `<activity id>:<section>:<message>:<chunk>` (or
 * `file:<path>:…` for a file activities.csv does not name), given by the reader.
 */
export const fitMessages = defineStream<FitMessagesRow>({
  name: 'fit_messages',
  schema: FitMessagesSchema,
  id: fitMessagesId,
  timestamp: fitMessagesTimestamp,
});
