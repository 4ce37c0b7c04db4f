import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Emitted, FileImporter, ImportedFile, SourceContext } from '@bronze/core';
import type { GarminConfig } from './config.js';
import { exportEntryRows, exportZipRows } from './export/read-export.js';
import { readFitRows } from './fit/fit-rows.js';
import { readAll } from './export/json-entries.js';

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

/**
 * --file takes a FIT file, a Garmin account export zip, or one JSON file out of an export.
 * The kind is told by the bytes (zip and FIT signatures), then by the name.
 */
export const garminFiles: FileImporter<GarminConfig> = {
  accepts: '.fit (FIT activity/monitoring/settings files), .zip (Garmin account data export), .json (a file from that export), or a folder of them',
  match: (path) => /\.(fit|zip|json)$/i.test(path),
  async *read(file: ImportedFile, _config: GarminConfig, ctx: SourceContext): AsyncIterable<Emitted> {
    const h = await head(file.path);
    if (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) {
      yield* exportZipRows(file, ctx);
    } else if ((h[0] === 12 || h[0] === 14) && h.toString('latin1', 8, 12) === '.FIT') {
      yield* readFitRows(await readAll(file));
    } else if (/\.fit$/i.test(file.path)) {
      yield* readFitRows(await readAll(file)); // not FIT after all: stored as a damaged FIT file
    } else {
      // One export file on its own: named by its base name, as it would be inside the zip.
      yield* exportEntryRows(file, basename(file.path), ctx, 0);
    }
  },
};
