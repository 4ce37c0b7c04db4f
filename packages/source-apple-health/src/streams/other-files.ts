import { defineStream, Type } from '@bronze/core';
import type { OtherFile } from '../parts/other-file.js';

export const OtherFileSchema = Type.Object({ file: Type.String(), size: Type.Integer({ minimum: 0 }), sha256: Type.String(), text: Type.Optional(Type.String()) });

/** Any file of the export no other stream reads: path, size, sha256 (and text when small). raw_id: its path in the export. */
export const otherFiles = defineStream<OtherFile>({
  name: 'other_files',
  schema: OtherFileSchema,
  id: (f) => f.file,
});
