import { isUtf8 } from 'node:buffer';
import { Transform, type Readable } from 'node:stream';
import { ConfigError, FileImportError } from '../errors.js';

export interface TextOptions {
  /** The file's encoding, e.g. `windows-1252` (default: detected, see detectEncoding). */
  encoding?: string;
}

/** What a text reader needs of a file: its path (for errors) and a fresh byte stream. */
export interface TextSource {
  path: string;
  open(): Readable | Promise<Readable>;
  /** Told the encoding the text was decoded with, to record it (the rows' `encoding` column). */
  decodedAs?(encoding: string): void;
}

/**
 * The canonical name of an encoding label (`latin1` → `windows-1252`, `UTF8` → `utf-8`),
 * as the WHATWG Encoding Standard (Node's TextDecoder) names it; a label it does not know
 * is a usage error naming the accepted ones.
 */
export function encodingName(label: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw new ConfigError(
      `--encoding ${JSON.stringify(label)} is not an encoding this reader knows; pass one of utf-8, windows-1252 (also latin1, iso-8859-1), utf-16le, utf-16be, iso-8859-15, …`,
    );
  }
}

function bomEncoding(head: Buffer): string | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Bytes at the end of `buf` that may start a UTF-8 sequence continued in the next chunk. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Whether the whole stream is valid UTF-8. One pass over the bytes (native isUtf8, a
 * sequence split across chunks carried over), so the decision holds for every row of
 * the file, not only the first ones.
 */
async function isWholeStreamUtf8(stream: Readable): Promise<boolean> {
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of stream) {
      const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      const keep = incompleteTail(buf);
      if (!isUtf8(buf.subarray(0, buf.length - keep))) return false;
      carry = Buffer.from(buf.subarray(buf.length - keep));
    }
    return carry.length === 0;
  } finally {
    stream.destroy();
  }
}

/** The first `n` bytes of a stream (fewer when it is shorter); the stream is destroyed after. */
export async function readHead(stream: Readable, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      have += (chunk as Buffer).length;
      if (have >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

/**
 * The encoding a text file is read with: `requested` when given; else a BOM's (UTF-8,
 * UTF-16LE, UTF-16BE); else UTF-8 when every byte of the file is valid UTF-8; else
 * windows-1252 (a superset of Latin-1 in practice, and every byte decodes to one
 * character, so nothing is replaced by U+FFFD).
 */
export async function detectEncoding(source: TextSource, requested?: string): Promise<{ encoding: string; verified: boolean }> {
  if (requested) return { encoding: encodingName(requested), verified: false };
  const bom = bomEncoding(await readHead(await source.open(), 3));
  if (bom) return { encoding: bom, verified: false };
  return (await isWholeStreamUtf8(await source.open())) ? { encoding: 'utf-8', verified: true } : { encoding: 'windows-1252', verified: true };
}

/**
 * Re-encodes decoded text as UTF-8 bytes, so readers of UTF-8 work on any encoding.
 * Fatal: bytes invalid in the encoding (a lone UTF-16 surrogate, bad UTF-8 under
 * `--encoding utf-8`) stop the file with their offset instead of becoming U+FFFD.
 */
function transcoder(path: string, encoding: string): Transform {
  const decoder = new TextDecoder(encoding, { fatal: true }); // also strips the BOM
  let offset = 0;
  const decode = (chunk?: Buffer): Buffer | undefined => {
    let text: string;
    try {
      text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new FileImportError(path, `is not valid ${encoding} (in the ${chunk ? `bytes ${offset}–${offset + chunk.length - 1}` : 'last bytes'}); pass the file's encoding with --encoding, e.g. --encoding windows-1252`);
    }
    offset += chunk?.length ?? 0;
    return text ? Buffer.from(text, 'utf8') : undefined;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        cb(null, decode(chunk));
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb) {
      try {
        cb(null, decode());
      } catch (err) {
        cb(err as Error);
      }
    },
  });
}

/**
 * The file's text as a stream of UTF-8 bytes, whatever its encoding (see detectEncoding),
 * and tells the file the encoding used. A file found valid UTF-8 is passed through
 * untouched; every other one is decoded strictly (a BOM dropped) and re-encoded. Byte offsets readers report are offsets in this UTF-8
 * stream, which differ from the file's for other encodings.
 */
export async function openText(source: TextSource, requested?: string): Promise<Readable> {
  const { encoding, verified } = await detectEncoding(source, requested);
  source.decodedAs?.(encoding);
  const bytes = await source.open();
  if (encoding === 'utf-8' && verified) return bytes; // every byte checked: nothing to replace
  const out = transcoder(source.path, encoding);
  bytes.on('error', (err) => out.destroy(err));
  out.on('close', () => bytes.destroy());
  return bytes.pipe(out);
}
