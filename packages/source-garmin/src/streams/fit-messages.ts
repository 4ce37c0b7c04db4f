import { defineStream, Type } from '@bronze/core';
import { fitDateTime } from '../fit/fit-time.js';
import { fitMessagesId, type FitMessagesRow } from '../fit/fit-rows.js';

/** One row per (FIT file, section, message type, chunk of up to 1000 messages). */
export const fitMessages = defineStream<FitMessagesRow>({
  name: 'fit_messages',
  schema: Type.Object({
    fileSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    section: Type.Integer({ minimum: 0 }),
    message: Type.String({ minLength: 1 }),
    globalMessageNumber: Type.Integer({ minimum: 0 }),
    chunk: Type.Integer({ minimum: 0 }),
    sequence: Type.Array(Type.Integer({ minimum: 0 })),
    messages: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1 }),
  }),
  id: fitMessagesId,
  // The first absolute instant among the chunk's messages: field 253 (`timestamp`, or "253"
  // in message types the FIT profile does not know, e.g. Wahoo's), else the file's time.
  timestamp(row) {
    for (const m of row.messages) {
      const at = fitDateTime(m.timestamp) ?? fitDateTime(m['253']) ?? fitDateTime(m.timeCreated);
      if (at) return at;
    }
    return undefined;
  },
});
