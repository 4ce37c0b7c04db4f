import { Type } from '@bronze/core';
import { fitDateTime } from './fit-time.js';
import type { FitFileRow, FitMessagesRow } from './fit-rows.js';

/** The `fit_files` row: one per FIT file (header of each section, message counts, decoder, damage if any). */
export const FitFileSchema = Type.Object({
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  size: Type.Integer({ minimum: 1 }),
  decoder: Type.Object({ sdk: Type.String(), options: Type.Record(Type.String(), Type.Boolean()) }),
  sections: Type.Array(
    Type.Object({
      index: Type.Integer(),
      offset: Type.Integer(),
      headerSize: Type.Integer(),
      protocolVersion: Type.Integer(),
      profileVersion: Type.Integer(),
      dataSize: Type.Integer(),
      messages: Type.Integer(),
      compressedTimestamps: Type.Optional(Type.Integer({ minimum: 1 })),
      fieldsAsBytes: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
  ),
  messageCounts: Type.Record(Type.String(), Type.Integer()),
  fileId: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  damage: Type.Optional(
    Type.Object({
      offset: Type.Integer(), section: Type.Integer(), message: Type.String(),
      record: Type.Optional(Type.Integer({ minimum: 0 })), fileBase64: Type.Optional(Type.String()),
    }),
  ),
  notDecoded: Type.Optional(Type.String()),
  decoderLimits: Type.Optional(
    Type.Array(
      Type.Object({
        offset: Type.Integer(), section: Type.Integer(), message: Type.String(), expectedMessages: Type.Integer(), decodedMessages: Type.Integer(),
        sectionBase64: Type.Optional(Type.String()), undescribedDeveloperFields: Type.Optional(Type.Integer()), alteredStrings: Type.Optional(Type.Integer()),
      }),
    ),
  ),
});

/** The `fit_messages` row: one per (FIT file, section, message type, chunk of up to 1000 messages). */
export const FitMessagesSchema = Type.Object({
  fileSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  section: Type.Integer({ minimum: 0 }),
  message: Type.String({ minLength: 1 }),
  globalMessageNumber: Type.Integer({ minimum: 0 }),
  chunk: Type.Integer({ minimum: 0 }),
  sequence: Type.Array(Type.Integer({ minimum: 0 })),
  messages: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1 }),
});

/** A fit_files row's instant: the file_id message's time_created. */
export function fitFileTimestamp(row: FitFileRow): Date | undefined {
  return fitDateTime(row.fileId?.timeCreated);
}

/**
 * A fit_messages row's instant: the first absolute instant among the chunk's messages: field
 * 253 (`timestamp`, or "253" in message types the FIT profile does not know, e.g. Wahoo's),
 * else the file's time.
 */
export function fitMessagesTimestamp(row: FitMessagesRow): Date | undefined {
  for (const m of row.messages) {
    const at = fitDateTime(m.timestamp) ?? fitDateTime(m['253']) ?? fitDateTime(m.timeCreated);
    if (at) return at;
  }
  return undefined;
}
