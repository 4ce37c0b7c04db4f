import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FileMeta } from '../emitted.js';
import { FileImportError, InterruptedError } from '../errors.js';

/** A file being imported: its identity (hash, size) and a byte-counting reader. */
export interface ImportedFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly mtime: Date;
  /** 'gzip' when the bytes are gzip (read transparently), else undefined. */
  readonly compression?: string;
  readonly encoding: string;
  /** Bytes of the file read so far (compressed bytes for gzip), for progress. */
  readonly bytesRead: number;
  readonly meta: FileMeta;
  /** A fresh stream of the file's (decompressed) bytes. */
  open(): Readable;
  /** The raw bytes, no decompression, no counting (archives that seek: zip). */
  openRaw(start?: number, end?: number): Readable;
  /** Adds to bytesRead, for readers that do not use open() (zip). */
  advance(bytes: number): void;
  /** Text readers report the encoding they decoded with; it becomes the rows' `encoding`. */
  decodedAs(encoding: string): void;
  /**
   * The run's stop signal, for passes over the file that yield no record (a zip entry's check):
   * they end with an InterruptedError when it fires. Record by record, the run checks it itself.
   */
  readonly signal?: AbortSignal;
}

/**
 * The file's sha256; a stop signal ends it with an InterruptedError. (A 438 MB file here: 0.3 s
 * from the page cache, 2.8 s read cold.)
 */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) hash.update(chunk as Buffer);
  } catch (err) {
    if (signal?.aborted) throw new InterruptedError(path, 'interrupted while its sha256 was computed, before any of it was read');
    throw err;
  }
  return hash.digest('hex');
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Checks the path is a readable, non-empty regular file; errors name the path and problem. */
/** Why a file whose name is not UTF-8 cannot be read (Node's paths are UTF-8 text). */
export const NOT_UTF8_NAME = 'its name is not UTF-8 (� marks the bytes that are not), and bronze cannot open a file by such a name: rename it to import it';

export async function statImportable(path: string, allowEmpty = false): Promise<{ size: number; mtime: Date }> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Node reads a name's bytes as UTF-8, each byte that is not as U+FFFD: then the path names no file.
    if (code === 'ENOENT' && path.includes('\ufffd')) throw new FileImportError(path, NOT_UTF8_NAME);
    if (code === 'ENOENT') throw new FileImportError(path, 'no such file');
    if (code === 'EACCES') throw new FileImportError(path, 'permission denied');
    throw new FileImportError(path, `cannot read: ${code ?? String(err)}`);
  }
  if (st.isDirectory()) throw new FileImportError(path, 'is a directory; pass the files inside it');
  if (!st.isFile()) throw new FileImportError(path, 'is not a regular file');
  if (st.size === 0) {
    if (allowEmpty) return { size: 0, mtime: st.mtime };
    throw new FileImportError(path, 'is empty (0 bytes)');
  }
  try {
    await readHead(path, 1);
  } catch (err) {
    throw new FileImportError(path, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return { size: st.size, mtime: st.mtime };
}

export async function openImportedFile(path: string, identity: { size: number; mtime: Date; sha256: string }, signal?: AbortSignal): Promise<ImportedFile> {
  const head = await readHead(path, 4);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const encoding = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : 'utf-8';
  let bytesRead = 0;
  const file: ImportedFile = {
    path,
    size: identity.size,
    sha256: identity.sha256,
    mtime: identity.mtime,
    compression: gzip ? 'gzip' : undefined,
    encoding,
    get bytesRead() {
      return bytesRead;
    },
    meta: { path, sha256: identity.sha256, size: identity.size, compression: gzip ? 'gzip' : undefined, encoding },
    signal,
    open() {
      bytesRead = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytesRead += chunk.length;
          cb(null, chunk);
        },
      });
      const raw = createReadStream(path, { highWaterMark: 1 << 20 });
      raw.on('error', (err) => counter.destroy(err));
      const counted = raw.pipe(counter);
      if (!gzip) return counted;
      const gunzip = createGunzip();
      counted.on('error', (err) => gunzip.destroy(err));
      return counted.pipe(gunzip);
    },
    openRaw(start, end) {
      return createReadStream(path, { start, end });
    },
    advance(bytes) {
      bytesRead = Math.min(identity.size, bytesRead + bytes);
    },
    decodedAs(used) {
      (file as { encoding: string }).encoding = used;
      file.meta.encoding = used;
    },
  };
  return file;
}

/** A NUL byte in the first 8 KiB of a file that should be text means it is binary. */
export async function findBinaryByte(file: ImportedFile): Promise<number | undefined> {
  const stream = file.open();
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      const head = buf.subarray(0, 8192);
      const at = file.encoding.startsWith('utf-16') ? -1 : head.indexOf(0);
      return at >= 0 ? at : undefined;
    }
    return undefined;
  } finally {
    stream.destroy();
  }
}
