import { expandCompressedTimestamps } from './compressed-timestamps.js';
import { keepRawValues } from './raw-profile.js';
import { finalizeSection, type FinalizedSection } from './unfinalized.js';
import { walkDamage } from './walk-damage.js';

type FitSdk = typeof import('@garmin/fitsdk');
let sdk: FitSdk | undefined;

/**
 * Loads the FIT SDK (its profile is ~1 MB of JavaScript) on first use, so runs that read no
 * FIT file (the API, JSON exports) do not pay for it at start-up.
 */
export async function loadFitSdk(): Promise<FitSdk> {
  if (!sdk) {
    const loading = await import('@garmin/fitsdk');
    keepRawValues(loading.Profile);
    sdk = loading;
  }
  return sdk;
}

function loaded(): FitSdk {
  if (!sdk) throw new Error('the FIT SDK is not loaded: await loadFitSdk() before decodeFit()');
  return sdk;
}

/**
 * Decoder options, chosen to keep what the file holds as close to raw as the SDK allows:
 * - applyScaleAndOffset: false, convertTypesToStrings: false, convertDateTimesToDates: false:
 *   values are the integers stored in the file (FIT-epoch seconds, enum numbers, unscaled
 *   units). Scale, offset and enum names live in the FIT profile, whose version is kept
 *   with each file, so the silver layer can apply them; a later profile cannot change
 *   what bronze stored.
 * - expandSubFields: false, expandComponents: false, mergeHeartRates: false: these add
 *   fields derived from others (or copy `hr` messages into `record`s); derived data is
 *   the silver layer's job and would only duplicate the raw fields.
 * - includeUnknownData: true: fields and messages the profile does not name are kept,
 *   keyed by their field / message number.
 * - decodeMemoGlobs: false: memo_glob messages are kept as messages, not merged.
 * Developer fields are always kept (`developerFields`, keyed by field_description key).
 */
export const DECODER_OPTIONS = {
  applyScaleAndOffset: false,
  convertTypesToStrings: false,
  convertDateTimesToDates: false,
  expandSubFields: false,
  expandComponents: false,
  mergeHeartRates: false,
  includeUnknownData: true,
  decodeMemoGlobs: false,
} as const;

export interface FitSectionHeader {
  index: number;
  /** Byte offset of the section's header in the file. */
  offset: number;
  headerSize: number;
  protocolVersion: number;
  /** Profile version as stored (e.g. 2056 = 20.56). */
  profileVersion: number;
  dataSize: number;
}

export interface FitMessage {
  section: number;
  /** Position of the message among all messages of its section, in file order. */
  sequence: number;
  /** Profile name (e.g. `record`), or the global message number for unknown messages. */
  name: string;
  globalMessageNumber: number;
  fields: Record<string, unknown>;
}

export interface FitDamage {
  /**
   * Absolute byte offset in the file where the decoder stopped: one past the last byte it read
   * (the file's size for "end of stream", one past the CRC for "CRC error"). In a damaged section
   * with compressed-timestamp headers, where the walk stopped (walk-damage.ts): the first byte of
   * the record it could not read, or as above when every record was whole.
   */
  offset: number;
  section: number;
  message: string;
  /**
   * 0-based offset of the first byte of the record the decoder could not read, found by walking
   * the section's records, when that is before `offset` (the SDK reads a record's header byte
   * before refusing it, so `offset` alone is one past it), or at it when the walk named the damage.
   */
  record?: number;
}

/**
 * The decoder stopped, or skipped messages, in a section that is intact (its CRC is correct
 * and its records walk to its end): a limit of the decoder, not damage of the file. The
 * section's bytes are kept (base64, up to UNDECODED_LIMIT) so nothing is lost.
 */
export interface FitDecoderLimit extends FitDamage {
  /** Data messages in the section, counted by walking its records. */
  expectedMessages: number;
  decodedMessages: number;
  /** The whole section as stored in the file, base64; absent above UNDECODED_LIMIT. */
  sectionBase64?: string;
  /** Developer-field values the decoder read as nothing (no usable field description). */
  undescribedDeveloperFields?: number;
  /** String values whose bytes the decoder dropped in part (not UTF-8, or a U+FFFD). */
  alteredStrings?: number;
  /** Field values the decoder overwrote with a later field of the same number (a definition naming it twice). */
  overwrittenFields?: number;
}

/** Sections up to this size are kept as bytes when the decoder cannot read them whole. */
export const UNDECODED_LIMIT = 16 * 1024 * 1024;

export interface FitSection extends FitSectionHeader {
  messages: number;
  /** Messages with a compressed-timestamp header, decoded with field 253 computed from it. */
  compressedTimestamps?: number;
  /**
   * Field definitions read as bytes (base type set to byte before decoding): their size is not a
   * multiple of their base type's, and the SDK would drop their values.
   */
  fieldsAsBytes?: number;
}

export interface DecodedFit {
  size: number;
  sections: FitSection[];
  messages: FitMessage[];
  damage?: FitDamage;
  /** Sections the decoder could not read whole although intact; decoding goes on with the next section. */
  decoderLimits: FitDecoderLimit[];
}

/** How a decoder limit keeps its section: the words for its message, and the base64 field (up to UNDECODED_LIMIT). */
function keptSection(raw: Buffer): { said: string; field: { sectionBase64?: string } } {
  return raw.length <= UNDECODED_LIMIT
    ? { said: ', and its bytes are kept in decoderLimits[].sectionBase64', field: { sectionBase64: raw.toString('base64') } }
    : { said: `; its ${raw.length} bytes are over the ${UNDECODED_LIMIT}-byte limit and not kept`, field: {} };
}

function readSectionHeader(buf: Buffer, offset: number, index: number): FitSectionHeader | undefined {
  if (offset + 12 > buf.length) return undefined;
  const headerSize = buf[offset];
  if (headerSize !== 12 && headerSize !== 14) return undefined;
  if (buf.toString('latin1', offset + 8, offset + 12) !== '.FIT') return undefined;
  return {
    index,
    offset,
    headerSize,
    protocolVersion: buf[offset + 1],
    profileVersion: buf.readUInt16LE(offset + 2),
    dataSize: buf.readUInt32LE(offset + 4),
  };
}

/** JSON-safe copy: 64-bit integers (BigInt) become decimal strings, NaN/±Infinity strings. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') {
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonSafe(v);
    return out;
  }
  return value;
}

function messageName(num: number): string {
  const profile = (loaded().Profile.messages as Record<number, { name?: string } | undefined>)[num];
  return profile?.name ?? String(num);
}

function sdkReason(error: unknown): string {
  const text = (error as Error).message ?? String(error);
  return text.replace(/^FIT Runtime Error\s*/, '').replace(/\s*at byte \d+\s*/, ' ').trim() || 'undecodable data';
}

/**
 * Decodes every section of a FIT file (chained FIT files hold several, each with its
 * own header, definitions and CRC). Each section is decoded on its own so a damaged
 * section keeps what came before it; decoding stops at the first damage.
 */
export function decodeFit(buf: Buffer): DecodedFit {
  const { Decoder, Stream } = loaded();
  const out: DecodedFit = { size: buf.length, sections: [], messages: [], decoderLimits: [] };
  let offset = 0;
  let unfinalized: (FinalizedSection & { section: number; offset: number; headerSize: number }) | undefined;
  while (offset < buf.length) {
    const index = out.sections.length;
    const header = readSectionHeader(buf, offset, index);
    if (!header) {
      const what = index === 0 ? 'not a FIT file (no ".FIT" header at byte 0)' : `bytes after section ${index - 1} are not a FIT header`;
      out.damage = { offset, section: index, message: what };
      break;
    }
    // A header saying 0 data bytes with records after it, not another header: a file never finalized.
    const afterEmpty = offset + header.headerSize + 2;
    if (header.dataSize === 0 && buf.length > afterEmpty && !readSectionHeader(buf, afterEmpty, index + 1)) {
      unfinalized = { ...finalizeSection(buf, offset, header.headerSize), section: index, offset, headerSize: header.headerSize };
    }
    const end = unfinalized ? buf.length : offset + header.headerSize + header.dataSize + 2;
    const raw = unfinalized ? unfinalized.bytes : buf.subarray(offset, Math.min(end, buf.length));
    const walk = expandCompressedTimestamps(raw);
    let sequence = 0;
    const { errors } = new Decoder(Stream.fromBuffer(walk.bytes)).read({
      ...DECODER_OPTIONS,
      mesgListener: (num: number, message: object) => {
        out.messages.push({ section: index, sequence: sequence++, name: messageName(num), globalMessageNumber: num, fields: jsonSafe(message) as Record<string, unknown> });
      },
    });
    out.sections.push({ ...header, messages: sequence, ...(walk.compressed ? { compressedTimestamps: walk.compressed } : {}), ...(walk.asBytes ? { fieldsAsBytes: walk.asBytes } : {}) });
    if (walk.intact && (errors.length || sequence < walk.dataMessages)) {
      // The bytes are sound (CRC correct, every record walked): what the SDK could not read is its limit.
      const reason = errors.length ? sdkReason(errors[0]) : 'messages skipped without an error';
      const kept = keptSection(raw);
      out.decoderLimits.push({
        offset, section: index, expectedMessages: walk.dataMessages, decodedMessages: sequence,
        message: `decoder limit: @garmin/fitsdk decoded ${sequence} of the ${walk.dataMessages} messages of section ${index} (${reason}); the section is intact (CRC correct)`
          + kept.said,
        ...kept.field,
      });
      offset = end;
      continue;
    }
    if (walk.intact && (walk.undescribedDevFields || walk.alteredStrings || walk.overwrittenFields)) {
      // The SDK skips a developer field it has no description for, drops a string's bytes that
      // are not UTF-8, and keeps one value of a field number a definition names twice, without
      // a word: they would be in no row but these bytes.
      const what = [
        walk.undescribedDevFields ? `read ${walk.undescribedDevFields} developer field value(s) as nothing (no developer_data_id and field_description before them, or a size that is not a multiple of the described type's)` : '',
        walk.alteredStrings ? `dropped bytes of ${walk.alteredStrings} string value(s) (not UTF-8, or a U+FFFD)` : '',
        walk.overwrittenFields ? `overwrote ${walk.overwrittenFields} field value(s) with a later field of the same number in the same message (a definition naming a field number twice)` : '',
      ].filter(Boolean).join(' and ');
      const kept = keptSection(raw);
      out.decoderLimits.push({
        offset, section: index, expectedMessages: walk.dataMessages, decodedMessages: sequence,
        ...(walk.undescribedDevFields ? { undescribedDeveloperFields: walk.undescribedDevFields } : {}),
        ...(walk.alteredStrings ? { alteredStrings: walk.alteredStrings } : {}),
        ...(walk.overwrittenFields ? { overwrittenFields: walk.overwrittenFields } : {}),
        message: `decoder limit: @garmin/fitsdk ${what} in section ${index}; the section is intact (CRC correct)`
          + kept.said,
        ...kept.field,
      });
    }
    if (walk.rewrittenBeforeDamage) {
      // Compressed headers before the damage: the decoder read the records walked up to it, rewritten, so the walk names the damage.
      const dataEnd = offset + header.headerSize + header.dataSize;
      out.damage = walkDamage(walk, { fileSize: buf.length, index, offset, dataEnd, decoded: sequence, ...(errors.length ? { sdkReason: sdkReason(errors[0]) } : {}) });
      break;
    }
    if (errors.length) {
      const text = (errors[0] as Error).message ?? String(errors[0]);
      if ((!/at byte \d+/.test(text) || /input is not a FIT file/i.test(text)) && buf.length < end && !unfinalized) {
        // Cut where a record ends, the SDK reads past its buffer and names no byte (a RangeError of
        // its DataView), or, cut right after the header, calls it no FIT file: both once said
        // "at byte 0". The file ends before the section its header declares.
        out.damage = {
          offset: buf.length, section: index,
          message: `the file ends at byte ${buf.length}, inside section ${index} (its header says the section ends at byte ${end}), after ${sequence} messages; the decoder stopped with: ${sdkReason(errors[0])}`,
        };
        break;
      }
      const at = walk.bytes === raw ? /at byte (\d+)/.exec(text) : null; // offsets in a rewritten section are not the file's
      const absolute = at ? offset + Number(at[1]) : offset;
      // The walk names the record only when it stopped inside the data (a CRC error is past every record).
      const inData = walk.walkedTo < header.headerSize + header.dataSize && offset + walk.walkedTo < absolute;
      const record = inData ? offset + walk.walkedTo : undefined;
      const where = record === undefined ? '' : `; the record it could not read starts at byte ${record}`;
      out.damage = { offset: absolute, section: index, message: `${sdkReason(errors[0])} at byte ${absolute} of ${buf.length} (section ${index}, after ${sequence} messages${where})`, ...(record === undefined ? {} : { record }) };
      break;
    }
    offset = end;
  }
  if (unfinalized) noteUnfinalized(out, unfinalized);
  return out;
}

/** The damage of a file never finalized: where its records stop, and what could not be read after them. */
function noteUnfinalized(out: DecodedFit, u: FinalizedSection & { section: number; offset: number; headerSize: number }): void {
  const at = u.offset + u.dataEnd;
  const left = out.size - at;
  const decoded = out.sections[u.section]?.messages ?? 0;
  const what = `the header of section ${u.section} says 0 data bytes and there is no CRC (the file was never finalized): `
    + `the ${decoded} messages in the ${u.dataEnd - u.headerSize} bytes of records after it were decoded`
    + (left > 0 ? `; the ${left} bytes from byte ${at} on are not a whole record` : '');
  out.damage = out.damage ? { ...out.damage, message: `${what}; then ${out.damage.message}` } : { offset: at, section: u.section, message: what, ...(left > 0 ? { record: at } : {}) };
}
