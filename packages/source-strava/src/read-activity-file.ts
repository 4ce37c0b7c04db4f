import { createHash } from 'node:crypto';
import { emit, textOrBase64, type ByteSource, type Emitted } from '@bronze/core';
import { DECODER_OPTIONS, FIT_SDK_VERSION, fitRows, loadFitSdk, MAX_FIT_BYTES, readCapped, type FitFileRow, type FitMessagesRow } from '@bronze/fit';
import type { ActivityFormat } from './export-layout.js';
import { gunzipPartial, type Inflated } from './gunzip.js';
import { parseXmlDocument } from './xml-document.js';

/** GPX and TCX files are parsed whole into one record; larger ones are stored invalid, named, not read. */
export const MAX_XML_BYTES = 64 * 1024 * 1024;

export interface ActivityFile {
  /** Path below the export root, e.g. `activities/3184653380.fit.gz`. */
  file: string;
  format: ActivityFormat;
  gzip: boolean;
  /** From activities.csv's Filename column; absent for a file no row names. */
  activityId?: string;
  /** Given on its own with --file, not from inside an export: its name says nothing of which activity it is. */
  alone?: boolean;
  /** `export.zip!activities/…` for messages. */
  label: string;
}

const ROOT: Record<'gpx' | 'tcx', string> = { gpx: 'gpx', tcx: 'TrainingCenterDatabase' };
const STREAM: Record<'gpx' | 'tcx', string> = { gpx: 'gpx_files', tcx: 'tcx_files' };

/**
 * raw_id of the file's row: the Strava activity id; else, inside an export, `file:<path below
 * the export root>` (the same path names the same file in the next export); else, for a file
 * given alone, `file:<name without .gz>#sha256:<contentSha256>`: many devices name every file
 * `Activity.fit`, so the name alone would make different activities versions of one record.
 */
export function activityFileId(f: ActivityFile, contentSha256: string): string {
  if (f.activityId) return f.activityId;
  if (!f.alone) return `file:${f.file}`;
  const name = f.gzip ? f.file.replace(/\.gz$/i, '') : f.file;
  return `file:${name}#sha256:${contentSha256}`;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Bytes kept losslessly: as text when they are UTF-8, else base64. */
const content = (bytes: Buffer, key: string) => textOrBase64(bytes, key, `${key}Base64`);

/** The gzip damage, for messages: where zlib stopped and how much inflated before it. */
function gzipDamage(f: ActivityFile, compressedSize: number, inflated: Inflated): string {
  return `${f.label}: gzip data damaged at byte ${inflated.at} of ${compressedSize} (${inflated.error}); ${inflated.bytes.length} bytes inflated before it`;
}

/**
 * One activity file of the export (a .fit, .gpx or .tcx, gzipped or not) as rows: FIT via
 * @bronze/fit (`fit_files` + `fit_messages`, the Garmin source's rows), GPX and TCX parsed
 * whole (`gpx_files`, `tcx_files`). Damage never ends the run: the file's row is stored
 * invalid with the byte offset, with what could be read before it.
 */
export async function* activityFileRows(source: ByteSource, f: ActivityFile): AsyncIterable<Emitted> {
  const metadata = { entry: f.file, ...(f.activityId ? { activityId: f.activityId } : {}) };
  const limit = f.format === 'fit' ? MAX_FIT_BYTES : MAX_XML_BYTES;
  const read = await readCapped(source, limit);
  let bytes = read.bytes;
  let damage: string | undefined;
  // What a lone file's id hashes: the activity file's content (inflated), so the same file
  // gzipped or not is one record; when it cannot be inflated whole (damaged, or over the
  // limit) the file's bytes as given, so a cut .gz never shares an id with the intact file.
  let contentSha = read.sha256;
  if (bytes && f.gzip) {
    const inflated = await gunzipPartial(bytes, limit);
    if (inflated.overLimit) bytes = undefined;
    else {
      if (inflated.error) damage = gzipDamage(f, read.size, inflated);
      else contentSha = sha256(inflated.bytes);
      bytes = inflated.bytes;
    }
  }
  const rawId = activityFileId(f, contentSha);
  const tooLarge = !bytes && `${f.label}: ${read.size} bytes${f.gzip ? ' (gzipped)' : ''}, over the ${limit}-byte limit for one ${f.format.toUpperCase()} file; not read (its size and sha256 are kept)`;
  // A damaged .gz keeps its bytes as given: what follows the damage cannot be inflated, and is lost otherwise.
  const kept = damage && read.bytes ? { gzipBase64: read.bytes.toString('base64') } : {};
  if (f.format === 'fit') yield* fitFileRows(f, rawId, read.sha256, read.size, bytes, damage ?? (tooLarge || undefined), metadata, kept);
  else yield xmlFileRow(f, rawId, read.sha256, read.size, bytes, damage ?? (tooLarge || undefined), metadata, kept);
}

type KeptBytes = { gzipBase64?: string };

/** fit_files / fit_messages rows under the file's raw_id (`id`), any gzip damage named. */
async function* fitFileRows(f: ActivityFile, id: string, sha: string, size: number, bytes: Buffer | undefined, damage: string | undefined, metadata: Record<string, unknown>, kept: KeptBytes): AsyncIterable<Emitted> {
  if (!bytes?.length) {
    const row: FitFileRow & KeptBytes = {
      sha256: sha, size, decoder: { sdk: `@garmin/fitsdk@${FIT_SDK_VERSION}`, options: DECODER_OPTIONS }, sections: [], messageCounts: {},
      notDecoded: damage ?? `${f.label}: empty file`, ...kept,
    };
    yield emit(row, { stream: 'fit_files', rawId: id, metadata: { ...metadata, fitSha256: sha }, invalid: `${row.notDecoded}; not decoded` });
    return;
  }
  await loadFitSdk();
  for (const e of fitRows(bytes, { entry: f.file })) {
    const meta = { ...e.meta, metadata: { ...metadata, ...e.meta.metadata } };
    if (e.meta.stream === 'fit_files') {
      const invalid = damage ? [damage, e.meta.invalid].filter(Boolean).join('; ') : e.meta.invalid;
      yield emit({ ...(e.record as FitFileRow), ...kept }, { ...meta, rawId: id, ...(invalid ? { invalid } : {}) });
    } else {
      const m = e.record as FitMessagesRow;
      yield emit(e.record, { ...meta, rawId: `${id}:${m.section}:${m.message}:${m.chunk}` });
    }
  }
}

/** A GPX or TCX file as one record `{ gpx: … }` / `{ TrainingCenterDatabase: … }`. */
function xmlFileRow(f: ActivityFile, rawId: string, sha: string, size: number, bytes: Buffer | undefined, damage: string | undefined, metadata: Record<string, unknown>, kept: KeptBytes): Emitted {
  const format = f.format as 'gpx' | 'tcx';
  const stream = STREAM[format];
  if (!bytes || damage) {
    // Not parsed: what is known of the file, and the inflated text before the damage when there is any.
    const before = bytes?.length ? content(bytes, 'beforeDamage') : {};
    return emit({ file: f.file, size, sha256: sha, ...before, ...kept }, { stream, rawId, metadata, invalid: `${damage}; not parsed` });
  }
  try {
    const doc = parseXmlDocument(bytes);
    const meta = { ...metadata, ...(doc.leadingWhitespace ? { leadingWhitespace: doc.leadingWhitespace } : {}) };
    const record = { [doc.root]: doc.value };
    if (doc.root !== ROOT[format]) return emit(record, { stream, rawId, metadata: meta, invalid: `${f.label}: the root element is <${doc.root}>, not <${ROOT[format]}>` });
    return emit(record, { stream, rawId, metadata: meta });
  } catch (err) {
    return emit({ file: f.file, size: bytes.length, sha256: sha256(bytes), ...content(bytes, 'text') }, { stream, rawId, metadata, invalid: `${f.label}: ${(err as Error).message}` });
  }
}
