import { Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { crc32, crc32Hex as hex } from './crc32.js';
import { FileImportError, InterruptedError } from '../errors.js';
import type { ImportedFile } from './imported-file.js';

export interface ZipEntry {
  /** The name as stored in the archive. Never used as a path on disk (no zip-slip). */
  name: string;
  size: number;
  compressedSize: number;
  /**
   * Decompressed bytes of the entry, streamed; counts towards the file's bytesRead. Refused
   * (FileImportError naming the entry) beyond the limits, a reader that knows its format
   * passing tighter ones; and refused when the entry's bytes do not match its CRC-32 or do not
   * inflate, which the first open() checks before it hands out a byte (one more pass).
   */
  open(limits?: ZipEntryLimits): Promise<Readable>;
}

export interface ZipEntryLimits {
  /** Most decompressed bytes one entry may have; default 8 GiB (BRONZE_ZIP_MAX_ENTRY_BYTES). */
  maxEntryBytes?: number;
  /** Most decompressed bytes per compressed byte, for entries over ratioFloorBytes; default 200 (BRONZE_ZIP_MAX_RATIO). */
  maxRatio?: number;
  /** Entries up to this size are never refused for their ratio; default 64 MiB. */
  ratioFloorBytes?: number;
}

const GiB = 1024 ** 3;
const positive = (v: string | undefined) => (v && Number(v) > 0 ? Number(v) : undefined);

/** The limits in force: the caller's, else the environment's, else the defaults (docs/operations.md). */
export function zipEntryLimits(limits: ZipEntryLimits = {}, env: NodeJS.ProcessEnv = process.env): Required<ZipEntryLimits> {
  return {
    maxEntryBytes: limits.maxEntryBytes ?? positive(env.BRONZE_ZIP_MAX_ENTRY_BYTES) ?? 8 * GiB,
    maxRatio: limits.maxRatio ?? positive(env.BRONZE_ZIP_MAX_RATIO) ?? 200,
    ratioFloorBytes: limits.ratioFloorBytes ?? 64 * 1024 ** 2,
  };
}

/** Why an entry is refused before a byte of it is inflated, from the sizes the archive declares. */
function refusal(size: number, compressedSize: number, l: Required<ZipEntryLimits>): string | undefined {
  if (size > l.maxEntryBytes) return `decompresses to ${size} bytes, over the limit of ${l.maxEntryBytes} bytes per entry (BRONZE_ZIP_MAX_ENTRY_BYTES)`;
  const ratio = size / Math.max(compressedSize, 1);
  if (size > l.ratioFloorBytes && ratio > l.maxRatio) {
    return `decompresses ${Math.round(ratio)}× (${compressedSize} → ${size} bytes), over the limit of ${l.maxRatio}× (BRONZE_ZIP_MAX_RATIO): not read, it looks like a zip bomb`;
  }
  return undefined;
}

/**
 * Counts inflated bytes and fails the stream once they pass the limit, whatever the archive
 * declared; at the end, checks the bytes against the CRC-32 the archive gives (yauzl does not):
 * a bit flipped in a stored entry, or in deflated data that still inflates, reads as valid
 * records otherwise.
 */
function checked(stream: Readable, limit: number, crc: number, fail: (bytes: number) => Error, damaged: (bytes: number, crc: number) => Error): Readable {
  let bytes = 0;
  let sum = 0;
  return stream.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) {
          stream.unpipe();
          stream.destroy();
          return done(fail(bytes));
        }
        sum = crc32(chunk, sum);
        done(null, chunk);
      },
      flush(done) {
        done(sum === crc ? null : damaged(bytes, sum));
      },
      // Stopped early (the run's stop signal, the reader giving up): the inflating ends too.
      destroy(err, done) {
        stream.destroy();
        done(err);
      },
    }),
  );
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, zip) =>
      err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip),
    ),
  );
}

/**
 * The entry's inflated bytes, checked against its size and CRC-32. `reading` false: the check
 * before any byte is handed out (no progress counted; a failure says nothing was read);
 * true: the reader's pass, which fails the same way only if the file changed in between.
 */
function entryStream(zip: yauzl.ZipFile, file: ImportedFile, e: yauzl.Entry, l: Required<ZipEntryLimits>, reading: boolean): Promise<Readable> {
  const what = reading ? 'what was read from it before is stored' : 'nothing of it was read; import the archive again once downloaded again or repaired';
  return new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(e, (err, stream) => {
      if (err || !stream) return reject(new FileImportError(file.path, `${e.fileName}: ${err?.message ?? 'cannot read entry'}`));
      // Progress in archive bytes: scale what is inflated by the entry's ratio.
      const ratio = e.uncompressedSize > 0 ? e.compressedSize / e.uncompressedSize : 1;
      if (reading) stream.on('data', (chunk: Buffer) => file.advance(chunk.length * ratio));
      const out = checked(stream, Math.min(l.maxEntryBytes, Math.max(e.uncompressedSize, 0)), e.crc32, (bytes) =>
        new FileImportError(file.path, `zip entry ${e.fileName}: inflated ${bytes} bytes, more than the ${e.uncompressedSize} it declares (limit ${l.maxEntryBytes})`), (bytes, sum) =>
        new FileImportError(file.path, `zip entry ${e.fileName}: its ${bytes} bytes do not match the archive's CRC-32 (${hex(sum)}, the archive says ${hex(e.crc32)}): the entry is damaged; ${what}`));
      // yauzl's own words (`not enough bytes in the stream. expected N. got only M`, or
      // zlib's `invalid distance too far back`) do not say that the entry is damaged.
      stream.on('error', (err2) => out.destroy(new FileImportError(file.path, `zip entry ${e.fileName}: its compressed data is damaged (${err2.message}); ${what}`)));
      resolve(out);
    }),
  );
}

/**
 * Reads the check pass to its end. It yields no record, so the run's stop signal, which the
 * run checks record by record, ends it here (a Ctrl-C 0.9 s into a run waited 2.9 s for the
 * check of a 438 MB entry to end).
 */
async function checkEntry(stream: Readable, file: ImportedFile, name: string): Promise<void> {
  const signal = file.signal;
  const interrupted = () => new InterruptedError(file.path, `zip entry ${name}: interrupted while its CRC-32 was checked, before any of it was read`);
  if (signal?.aborted) {
    stream.destroy();
    throw interrupted();
  }
  const onAbort = () => stream.destroy(interrupted());
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const _ of stream) void _;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
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
      // Checked whole once, before its first byte is handed out: a reader stores records as it
      // goes, and a damaged entry's records (a flipped byte in a stored one, garbage where
      // deflated data still inflates) would be committed before the CRC at its end says so.
      let verified = false;
      yield {
        name: e.fileName,
        size: e.uncompressedSize,
        compressedSize: e.compressedSize,
        open: async (limits?: ZipEntryLimits) => {
          const l = zipEntryLimits(limits);
          const refused = refusal(e.uncompressedSize, e.compressedSize, l);
          if (refused) throw new FileImportError(file.path, `zip entry ${e.fileName}: ${refused}`);
          if (!verified) {
            await checkEntry(await entryStream(zip, file, e, l, false), file, e.fileName);
            verified = true;
          }
          return entryStream(zip, file, e, l, true);
        },
      };
    }
  } finally {
    zip.close();
  }
}
