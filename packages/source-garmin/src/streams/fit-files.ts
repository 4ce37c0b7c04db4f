import { defineStream, Type } from '@bronze/core';
import { fitDateTime } from '../fit/fit-time.js';
import { fitFileId, type FitFileRow } from '../fit/fit-rows.js';

/** One row per FIT file: header of each section, message counts, decoder, damage if any. */
export const fitFiles = defineStream<FitFileRow>({
  name: 'fit_files',
  schema: Type.Object({
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
      }),
    ),
    messageCounts: Type.Record(Type.String(), Type.Integer()),
    fileId: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    damage: Type.Optional(Type.Object({ offset: Type.Integer(), section: Type.Integer(), message: Type.String() })),
    notDecoded: Type.Optional(Type.String()),
    decoderLimits: Type.Optional(
      Type.Array(
        Type.Object({
          offset: Type.Integer(), section: Type.Integer(), message: Type.String(), expectedMessages: Type.Integer(), decodedMessages: Type.Integer(),
          sectionBase64: Type.Optional(Type.String()),
        }),
      ),
    ),
  }),
  id: fitFileId,
  timestamp: (row) => fitDateTime(row.fileId?.timeCreated),
});
