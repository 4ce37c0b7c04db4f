import { defineStream, Type } from '@bronze/core';
import type { OtherFile } from '../other-file.js';

/**
 * Every other entry of the export (photos and videos under media/, profile.jpg, PDFs,
 * messaging.json, a CSV with a header and no row…): its path below the export root, size,
 * sha256, and its text when it is UTF-8 of at most 1 MiB. raw_id: that path.
 */
export const exportOther = defineStream<OtherFile>({
  name: 'export_other',
  schema: Type.Object({ file: Type.String(), size: Type.Integer({ minimum: 0 }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), text: Type.Optional(Type.String()) }),
  id: (f) => f.file,
});
