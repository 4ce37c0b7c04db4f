import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Emitted, FileImporter, ImportedFile, SourceContext } from '@bronze/core';
import type { GarminConfig } from './config.js';
import { exportEntryRows, exportZipRows } from './export/read-export.js';
import { MAX_FIT_BYTES, readFitRows } from '@bronze/fit';
import { otherRow, OTHER_CONTENT_LIMIT, standaloneFileId } from './export/json-entries.js';
import { readCapped, type CappedBytes } from './export/capped-read.js';
import { apiResponseRows } from './export/api-responses.js';
import { classifyEntry } from './export/export-kinds.js';
import { pathInExportFolder } from './export/export-folder.js';

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(12);
    const { bytesRead } = await fh.read(buf, 0, 12, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** A file no export stream takes: a saved Connect API response goes to its API stream, anything else to export_other. */
function* standaloneRows(name: string, data: CappedBytes): Iterable<Emitted> {
  const rows = data.bytes && /\.json$/i.test(name) ? apiResponseRows(name, data.bytes, { id: standaloneFileId(name, data), size: data.size, sha256: data.sha256 }) : undefined;
  if (rows) yield* rows;
  // Given explicitly and read by no stream: stored whole, and named in the run's summary.
  else yield* otherRow(name, data, undefined, { rawId: standaloneFileId(name, data), unrecognised: `${name} is not a FIT file, an export zip, a file of an export or a saved API response` });
}

/**
 * --file takes a FIT file, a Garmin account export zip, or one JSON file out of an export.
 * The kind is told by the bytes (zip and FIT signatures), then by the name.
 */
export const garminFiles: FileImporter<GarminConfig> = {
  accepts: '.fit (FIT activity/monitoring/settings files), .zip (Garmin account data export), .json (a file from that export), the export unzipped, or a folder of them',
  // In a folder: FIT, zip and JSON files, and every file of an unzipped export (README.txt,
  // images), which its zip stores in export_other. Hidden files are no one's data.
  match: (path) => !basename(path).startsWith('.') && (/\.(fit|zip|json)$/i.test(path) || pathInExportFolder(path) !== undefined),
  async *read(file: ImportedFile, _config: GarminConfig, ctx: SourceContext): AsyncIterable<Emitted> {
    const h = await head(file.path);
    const isZip = h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04;
    const inExport = pathInExportFolder(file.path);
    if (inExport !== undefined && !(isZip && classifyEntry(inExport).type === 'zip')) {
      // A file of an unzipped export: read as its entry in the zip is, by its path there.
      yield* exportEntryRows({ path: file.path, open: () => file.openRaw() }, inExport, ctx, 0);
    } else if (isZip) {
      // An uploaded-files part of an unzipped export is read where it lies (the zip's reader
      // would copy it to a temporary file first), its FIT files named as inside the export.
      yield* exportZipRows(file, ctx, inExport === undefined ? '' : `${inExport}!`, inExport === undefined ? 0 : 1);
    } else if ((h[0] === 12 || h[0] === 14) && h.toString('latin1', 8, 12) === '.FIT') {
      yield* readFitRows(await readCapped(file, MAX_FIT_BYTES));
    } else if (/\.fit$/i.test(file.path)) {
      yield* readFitRows(await readCapped(file, MAX_FIT_BYTES)); // not FIT after all: stored as a damaged FIT file
    } else {
      const name = basename(file.path);
      // One file of an export on its own: read as it would be inside the zip, by its base name.
      if (classifyEntry(name).type !== 'other') yield* exportEntryRows(file, name, ctx, 0);
      else yield* standaloneRows(name, await readCapped(file, OTHER_CONTENT_LIMIT));
    }
  },
};
