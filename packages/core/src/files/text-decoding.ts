import { Transform, type Readable } from 'node:stream';
import { ConfigError, FileImportError, InterruptedError } from '../errors.js';
import { scanUtf8, type Utf8Scan } from './utf8-scan.js';
import { decodeWindows1252 } from './windows-1252.js';

export interface TextOptions {
  /** The file's encoding, e.g. `windows-1252` (default: detected, see detectEncoding). */
  encoding?: string;
  /**
   * Where a word on the decoding goes: a file read as windows-1252 that looks like UTF-8 with
   * damaged bytes (ctx.files sets it to the run's notes).
   */
  note?: (text: string) => void;
}

/** What a text reader needs of a file: its path (for errors) and a fresh byte stream. */
export interface TextSource {
  path: string;
  open(): Readable | Promise<Readable>;
  /** Told the encoding the text was decoded with, to record it (the rows' `encoding` column). */
  decodedAs?(encoding: string): void;
  /** The run's stop signal (an ImportedFile's): the encoding check, a pass over the whole file, ends on it. */
  readonly signal?: AbortSignal;
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
 * character, so nothing is replaced by U+FFFD). `damagedUtf8`: read as windows-1252, the
 * file holds at least as many UTF-8 sequences as bytes that are not (see damagedUtf8Note).
 */
export async function detectEncoding(source: TextSource, requested?: string): Promise<{ encoding: string; verified: boolean; damagedUtf8?: Utf8Scan & { utf8: false } }> {
  if (requested) return { encoding: encodingName(requested), verified: false };
  const bom = bomEncoding(await readHead(await source.open(), 3));
  if (bom) return { encoding: bom, verified: false };
  let scan: Utf8Scan;
  try {
    scan = await scanUtf8(await source.open(), source.signal);
  } catch (err) {
    // ~2 s per GB of UTF-8 here, 3 of windows-1252: a Ctrl-C is not kept waiting for the end.
    if (source.signal?.aborted) throw new InterruptedError(source.path, 'interrupted while its encoding was checked, before any of it was read');
    throw err;
  }
  if (scan.utf8) return { encoding: 'utf-8', verified: true };
  return { encoding: 'windows-1252', verified: true, damagedUtf8: scan.sequences > 0 && scan.sequences >= scan.badBytes ? scan : undefined };
}

/**
 * The word on a file read as windows-1252 that looks like UTF-8 with damaged bytes: its
 * UTF-8 text (`ä`) now reads as two characters (`Ã¤`). Nothing is lost (the text encoded as
 * windows-1252 again gives the file's bytes), but the rows do not say what the file says.
 */
export function damagedUtf8Note(path: string, scan: Utf8Scan & { utf8: false }): string {
  const s = scan.sample!;
  const as1252 = decodeWindows1252(s.bytes);
  const bad = `${scan.badBytes} byte${scan.badBytes === 1 ? '' : 's'}`;
  return (
    `${path}: read as windows-1252, since ${bad} of it (the first at byte ${scan.firstBad}) ${scan.badBytes === 1 ? 'is' : 'are'} not UTF-8; but it holds ${scan.sequences} ` +
    `UTF-8 character${scan.sequences === 1 ? '' : 's'} (the first at byte ${s.offset}: ${JSON.stringify(s.bytes.toString('utf8'))}, now read as ${JSON.stringify(as1252)}): ` +
    'if it is a UTF-8 file with damaged bytes, its text is stored as windows-1252 reads it (encoded as windows-1252 again, it gives the file\'s bytes); repair those bytes and import it again with --force'
  );
}

/**
 * Re-encodes decoded text as UTF-8 bytes, so readers of UTF-8 work on any encoding.
 * Fatal: bytes invalid in the encoding (a lone UTF-16 surrogate, bad UTF-8 under
 * `--encoding utf-8`) stop the file with their offset instead of becoming U+FFFD.
 */
function transcoder(path: string, encoding: string): Transform {
  // windows-1252 by its table (windows-1252.ts): one byte a character, no state to carry.
  const decoder = encoding === 'windows-1252' ? undefined : new TextDecoder(encoding, { fatal: true }); // also strips the BOM
  let offset = 0;
  const decode = (chunk?: Buffer): Buffer | undefined => {
    let text: string;
    try {
      text = !decoder ? (chunk ? decodeWindows1252(chunk) : '') : chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
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
export async function openText(source: TextSource, requested?: string, note?: (text: string) => void): Promise<Readable> {
  const { encoding, verified, damagedUtf8 } = await detectEncoding(source, requested);
  source.decodedAs?.(encoding);
  if (damagedUtf8) note?.(damagedUtf8Note(source.path, damagedUtf8));
  const bytes = await source.open();
  if (encoding === 'utf-8' && verified) return bytes; // every byte checked: nothing to replace
  const out = transcoder(source.path, encoding);
  bytes.on('error', (err) => out.destroy(err));
  out.on('close', () => bytes.destroy());
  return bytes.pipe(out);
}
