import { defineStream } from '@bronze/core';
import { fitMessagesId, fitMessagesTimestamp, FitMessagesSchema, type FitMessagesRow } from '@bronze/fit';

/** One row per (FIT file, section, message type, chunk of up to 1000 messages). raw_id: `<file sha256>:<section>:<message>:<chunk>`. */
export const fitMessages = defineStream<FitMessagesRow>({
  name: 'fit_messages',
  schema: FitMessagesSchema,
  id: fitMessagesId,
  timestamp: fitMessagesTimestamp,
});
