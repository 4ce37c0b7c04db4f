import { createHash } from 'node:crypto';
import { emit, type Emitted } from '@bronze/core';
import { decodeFit, DECODER_OPTIONS, loadFitSdk, type FitDamage, type FitDecoderLimit, type FitMessage, type FitSection } from './decode-fit.js';
import { FIT_SDK_VERSION } from './sdk-version.js';
import { MAX_FIT_BYTES } from './fit-limits.js';
import type { CappedBytes } from './capped-read.js';

/**
 * Row granularity: one `fit_files` row per file (header, sections, message counts, damage),
 * and one `fit_messages` row per (section, message type, chunk of up to
 * FIT_MESSAGES_PER_ROW messages), in file order. A 4-hour run at 1 Hz (~14,400 `record`
 * messages of ~200 bytes of JSON) is 15 rows of ~200 KB instead of 14,400 tiny rows or one
 * 3 MB row; types with few messages (file_id, session, lap…) are one row each. `sequence`
 * keeps each message's position in its section, so interleaving (events between records)
 * is not lost.
 */
export const FIT_MESSAGES_PER_ROW = 1000;

export interface FitFileRow {
  sha256: string;
  size: number;
  decoder: { sdk: string; options: typeof DECODER_OPTIONS };
  sections: FitSection[];
  messageCounts: Record<string, number>;
  /** The first file_id message, as decoded (type, manufacturer, product, serial, time). */
  fileId?: Record<string, unknown>;
  /**
   * Why decoding stopped early. `fileBase64` is the whole file: the messages decoded before the
   * damage cannot give their bytes back (definitions, CRC), and the bytes after it need the
   * section's definitions to be read at all, so the file itself is kept, to rebuild it exactly.
   */
  damage?: FitDamage & { fileBase64?: string };
  /** Why the file was not decoded at all (too large); the row is invalid. */
  notDecoded?: string;
  /** Intact sections the decoder could not read whole (kept as bytes); the row is a warning. */
  decoderLimits?: FitDecoderLimit[];
}

export interface FitMessagesRow {
  fileSha256: string;
  section: number;
  message: string;
  globalMessageNumber: number;
  chunk: number;
  sequence: number[];
  messages: Record<string, unknown>[];
}

/** Where the FIT bytes came from, for the rows' metadata (never part of the record). */
export interface FitOrigin {
  /** Entry inside an export zip, when the file came from one. */
  entry?: string;
}

export function fitFileId(row: FitFileRow): string {
  return row.sha256;
}

export function fitMessagesId(row: FitMessagesRow): string {
  return `${row.fileSha256}:${row.section}:${row.message}:${row.chunk}`;
}

/** fitRows after loading the FIT SDK. */
export async function* readFitRows(data: CappedBytes, origin: FitOrigin = {}): AsyncIterable<Emitted> {
  if (!data.bytes) {
    yield* tooLargeFitRow(data, origin);
    return;
  }
  await loadFitSdk();
  yield* fitRows(data.bytes, origin);
}

/** A FIT file over MAX_FIT_BYTES: one invalid fit_files row naming it, its size and sha256; not decoded. */
function* tooLargeFitRow(data: CappedBytes, origin: FitOrigin): Iterable<Emitted> {
  const file: FitFileRow = {
    sha256: data.sha256, size: data.size, decoder: { sdk: `@garmin/fitsdk@${FIT_SDK_VERSION}`, options: DECODER_OPTIONS }, sections: [], messageCounts: {},
    notDecoded: `${data.size} bytes, over the ${MAX_FIT_BYTES}-byte limit bronze decodes in memory`,
  };
  const what = origin.entry ? `FIT file ${origin.entry}` : 'FIT file';
  yield emit(file, { stream: 'fit_files', metadata: { ...(origin.entry ? { entry: origin.entry } : {}), fitSha256: data.sha256 }, invalid: `${what}: ${file.notDecoded}; not decoded (its size and sha256 are kept)` });
}

/** Decodes one FIT file's bytes into its rows (SDK loaded); a damaged file yields what decoded, marked invalid. */
export function* fitRows(buf: Buffer, origin: FitOrigin = {}): Iterable<Emitted> {
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const decoded = decodeFit(buf);
  const damage = decoded.damage;
  const invalid = damage && `FIT file damaged: ${damage.message}; the messages decoded before it are kept, and the file's bytes in damage.fileBase64`;
  const limits = decoded.decoderLimits;
  const warning = limits.length ? limits.map((l) => l.message).join('; ') : undefined;
  const metadata = { ...(origin.entry ? { entry: origin.entry } : {}), fitSha256: sha256 };

  const groups = new Map<string, FitMessage[]>();
  const counts: Record<string, number> = {};
  for (const m of decoded.messages) {
    const key = `${m.section}\u0000${m.name}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(m);
    counts[m.name] = (counts[m.name] ?? 0) + 1;
  }
  const file: FitFileRow = {
    sha256,
    size: decoded.size,
    decoder: { sdk: `@garmin/fitsdk@${FIT_SDK_VERSION}`, options: DECODER_OPTIONS },
    sections: decoded.sections,
    messageCounts: counts,
    fileId: decoded.messages.find((m) => m.name === 'fileId')?.fields,
    // Every byte of a damaged file is kept (it is at most MAX_FIT_BYTES: larger files are not read).
    damage: damage && { ...damage, fileBase64: buf.toString('base64') },
    decoderLimits: limits,
  };
  if (!file.fileId) delete file.fileId;
  if (!file.damage) delete file.damage;
  if (!limits.length) delete file.decoderLimits;
  yield emit(file, { stream: 'fit_files', metadata, ...(invalid ? { invalid } : {}), ...(warning ? { warning } : {}) });

  for (const list of groups.values()) {
    const first = list[0];
    const rowInvalid = invalid && first.section === damage!.section ? invalid : undefined;
    for (let chunk = 0; chunk * FIT_MESSAGES_PER_ROW < list.length; chunk++) {
      const part = list.slice(chunk * FIT_MESSAGES_PER_ROW, (chunk + 1) * FIT_MESSAGES_PER_ROW);
      const row: FitMessagesRow = {
        fileSha256: sha256,
        section: first.section,
        message: first.name,
        globalMessageNumber: first.globalMessageNumber,
        chunk,
        sequence: part.map((m) => m.sequence),
        messages: part.map((m) => m.fields),
      };
      yield emit(row, { stream: 'fit_messages', metadata, ...(rowInvalid ? { invalid: rowInvalid } : {}) });
    }
  }
}
