import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { FileImportError } from '../errors.js';
import type { ImportedFile } from './imported-file.js';

export interface ZipEntry {
  /** The name as stored in the archive. Never used as a path on disk (no zip-slip). */
  name: string;
  size: number;
  compressedSize: number;
  /** Decompressed bytes of the entry, streamed; counts towards the file's bytesRead. */
  open(): Promise<Readable>;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, zip) =>
      err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip),
    ),
  );
}

/**
 * The entries of a zip file, one at a time, each readable as a stream: nothing is
 * extracted to disk. Directories are skipped. A damaged archive fails naming the file.
 */
export async function* zipEntries(file: ImportedFile): AsyncIterable<ZipEntry> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file.path);
  } catch (err) {
    throw new FileImportError(file.path, `not a readable zip archive: ${(err as Error).message}`);
  }
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          cleanup();
          resolve(e);
        };
        const onEnd = () => {
          cleanup();
          resolve(undefined);
        };
        const onError = (e: Error) => {
          cleanup();
          reject(new FileImportError(file.path, `damaged zip archive: ${e.message}`));
        };
        const cleanup = () => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          zip.off('error', onError);
        };
        zip.on('entry', onEntry);
        zip.on('end', onEnd);
        zip.on('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      if (entry.fileName.endsWith('/')) continue;
      const e = entry;
      yield {
        name: e.fileName,
        size: e.uncompressedSize,
        compressedSize: e.compressedSize,
        open: () =>
          new Promise<Readable>((resolve, reject) =>
            zip.openReadStream(e, (err, stream) => {
              if (err || !stream) return reject(new FileImportError(file.path, `${e.fileName}: ${err?.message ?? 'cannot read entry'}`));
              // Progress in archive bytes: scale what is inflated by the entry's ratio.
              const ratio = e.uncompressedSize > 0 ? e.compressedSize / e.uncompressedSize : 1;
              stream.on('data', (chunk: Buffer) => file.advance(chunk.length * ratio));
              resolve(stream);
            }),
          ),
      };
    }
  } finally {
    zip.close();
  }
}
