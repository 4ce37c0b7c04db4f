/**
 * What a source yields and what core knows about where each record came from. A leaf module:
 * the contract, the HTTP client and the file readers all use these types.
 */

/** What a file import knows about the file each of its rows came from. */
export interface FileMeta {
  path: string;
  sha256: string;
  size: number;
  compression?: string;
  encoding?: string;
  /** Entry inside an archive, e.g. `apple_health_export/export.xml`. */
  entry?: string;
}

/** What an API call knows about the response a record came from (the api_* columns). */
export interface ApiMeta {
  endpoint: string;
  status: number;
  requestId?: string;
  version?: string;
  rateLimit?: Record<string, string>;
}

export interface RecordMeta {
  /** The stream this record belongs to, when one reader feeds several streams. */
  stream?: string;
  api?: ApiMeta;
  /** Free-form facts about where in the input the record was (line, entry, offset). */
  metadata?: Record<string, unknown>;
  /** The reader could not parse this input: store it as invalid with this message. */
  invalid?: string;
  /** Soft problem noticed by the reader: stored with validation_status 'warning'. */
  warning?: string;
  /**
   * A file given explicitly that no stream of the source recognises, stored whole anyway
   * (e.g. Garmin's export_other): the reason. The row is a warning, and the run's summary
   * names the file (IngestResult.files.unrecognised). Never a reason to drop it.
   */
  unrecognised?: string;
  /** Overrides stream.id() (e.g. for unparsable input, where no id can be read). */
  rawId?: string;
  /**
   * For records with no id of their own (file imports only): raw_id is `<countedId>#<n>`,
   * n = 1, 2… counting this value within the file and stream, the first occurrence
   * included (manual's `row:<sha256>#1`). Core does the counting, in the database.
   */
  countedId?: string;
}

const EMITTED = Symbol.for('bronze.emitted');

/** A record with facts about where it came from. Sources may yield plain records instead. */
export interface Emitted<R = unknown> {
  readonly [EMITTED]: true;
  readonly record: R;
  readonly meta: RecordMeta;
}

export function emit<R>(record: R, meta: RecordMeta = {}): Emitted<R> {
  return { [EMITTED]: true, record, meta };
}

export function isEmitted(value: unknown): value is Emitted {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[EMITTED] === true;
}
