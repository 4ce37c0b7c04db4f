import type { Static, TSchema } from '@sinclair/typebox';
import type { Logger } from './log.js';
import type { FileReaders, ImportedFile } from './files/readers.js';
import type { HttpClient } from './http/types.js';
import type { AuthContext, AuthorizeSpec, AuthStrategy } from './auth/types.js';
import type { Emitted, RecordMeta } from './emitted.js';
import type { UsageQuota } from './http/usage-quota.js';

export { emit, isEmitted, type FileMeta, type ApiMeta, type RecordMeta, type Emitted } from './emitted.js';

const CHECKPOINT = Symbol.for('bronze.checkpoint');

/** The stream's cursor (the one mechanism): read() yields it after the records it covers. */
export interface Checkpoint<S = unknown> {
  readonly [CHECKPOINT]: true;
  readonly state: S;
}

/**
 * Saves `state` as the stream's cursor, committed in the transaction of the batch that holds
 * the records yielded before it (or alone, when there are none: days without data).
 */
export function checkpoint<S>(state: S): Checkpoint<S> {
  return { [CHECKPOINT]: true, state };
}

export function isCheckpoint(value: unknown): value is Checkpoint {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CHECKPOINT] === true;
}

export interface ReadArgs<S> {
  /** The cursor committed by the last run, absent on the first run or with --full-refresh. */
  state?: S;
  since?: Date;
  until?: Date;
}

export interface SourceContext {
  logger: Logger;
  /** Aborted on Ctrl-C/SIGTERM: stop reading; core commits what was read. */
  signal: AbortSignal;
  http: HttpClient;
  files: FileReaders;
  now(): Date;
  /** The project root: where `.env`, `configs/` and `data/` live. */
  root: string;
  /**
   * A fact the user should see in the run summary, e.g. "source_timestamp from endTime"
   * (a repeated note is shown once). Absent where no run summary is printed. A note with a `key`
   * replaces the earlier note with the same key (a running tally).
   */
  note?(text: string, key?: string): void;
}

export interface Stream<R = any, S = any> {
  name: string;
  /** TypeBox schema every record is validated against (exported as JSON Schema too). */
  schema: TSchema;
  /**
   * The record's natural id within the stream; stable across runs and re-exports. Return
   * the value itself (a string or a number), not String(value): core makes it raw_id and
   * refuses objects, arrays and booleans rather than merging them (docs/values.md).
   */
  id(record: R): unknown;
  /**
   * What record_hash covers, when not the whole record: the record with values that change
   * on every export without meaning anything (Apple's `<<HKDevice: 0x…>>` memory address)
   * neutralised, so a re-export is not stored again as new versions. raw_data is always
   * the whole record as given.
   */
  hashInput?(record: R): unknown;
  /**
   * The same, as a rewrite of the record's canonical JSON text (what record_hash would cover)
   * instead of a copy of the record: one serialization per record instead of two (Apple
   * Health blanks the device address with one regex on the text). Takes precedence over
   * hashInput. The result must depend only on the text.
   */
  hashText?(canonicalText: string): string;
  /** The record's own instant (source_timestamp); undefined when it has none. */
  timestamp?(record: R): Date | undefined;
  /**
   * API streams read here (file-only streams leave it out and are fed by importFile). Declare
   * API streams with defineApiStream, which builds this; write it by hand only for what the
   * incremental kinds do not fit. The cursor is what read() yields with checkpoint(state):
   * core commits it with the batch holding the records yielded before it.
   */
  read?(args: ReadArgs<S>, ctx: SourceContext): AsyncIterable<R | Emitted<R> | Checkpoint<S>>;
  /** How the stream reads incrementally (set by defineApiStream; shown by `bronze sources`). */
  incremental?: 'snapshot' | 'by-field' | 'day-window';
}

export interface FileImporter<C> {
  /** What files this source takes, for help text and errors (e.g. ".csv, .json, .jsonl"). */
  accepts: string;
  /** When given, a folder passed as --file imports the files below it for which this is true; the run summary names the others. */
  match?(path: string): boolean;
  /** Yields every record of one file, each naming its stream via emit(record, { stream }). */
  read(file: ImportedFile, config: C, ctx: SourceContext): AsyncIterable<Emitted>;
}

/** A flag a source adds to `bronze ingest` (e.g. --id-field); its value reaches configure(). */
export interface CliOption {
  type: 'string' | 'boolean';
  description: string;
  multiple?: boolean;
}

export interface SourceDefinition<C extends TSchema = TSchema> {
  /** Lower-case, [a-z][a-z0-9_]*: the table is bronze_<name> (a dash in a CLI name maps to _). */
  name: string;
  version: string;
  description: string;
  /** TypeBox schema of the source's configuration (credentials and options). */
  config: C;
  /** Builds the configuration from the environment and CLI options; errors name the key. */
  configure(env: NodeJS.ProcessEnv, options: Record<string, unknown>): Static<C>;
  /** A cheap authenticated call proving the configuration; returns a line to show. */
  check?(config: Static<C>, ctx: SourceContext): Promise<string>;
  /** The streams; file sources whose streams follow file names get the files to import. */
  streams(config: Static<C>, input?: { files?: string[] }): Stream[];
  /** Extra `bronze ingest` flags, by long name without dashes (camelCase in options). */
  cliOptions?: Record<string, CliOption>;
  /** Present when the source imports export files (--file). */
  files?: FileImporter<Static<C>>;
  /**
   * The URL of the module whose default export is this source: `module: import.meta.url` in
   * its index. With it, core may read and envelope its files in a worker thread while the
   * main thread loads the database (BRONZE_READ_WORKER). Then files.read runs there, from a
   * fresh import of this module: it must get everything from its arguments (it does by
   * contract) and not use ctx.http.
   */
  module?: string;
  /** Declared request budget, used by ctx.http (requests per interval). */
  rateLimit?: { requests: number; perMilliseconds: number };
  /** Usage reported in response headers (Strava's X-RateLimit-Usage): near a limit, pause or end the run cleanly (QuotaStop). */
  usageQuota?: UsageQuota;
  /** Default base URL of the API; <SOURCE>_BASE_URL overrides it. */
  baseUrl?: string;
  /**
   * How ctx.http authenticates: bearerAuth, basicAuth, headerAuth or oauth2Auth (renewal on
   * expiry and once on a 401, rotated tokens written 0600 before use). Secrets are redacted.
   */
  auth?(config: Static<C>, a: AuthContext): AuthStrategy;
  /**
   * Why this configuration cannot read the API (credentials not set, no token file yet), or
   * undefined when it can. `bronze ingest --all` skips the source with this reason; a run
   * named explicitly still imports files.
   */
  apiUnavailable?(config: Static<C>, a: { root: string }): string | undefined;
  /** The one-time OAuth2 sign-in (`bronze auth <source>`), for sources using oauth2Auth. */
  authorize?(config: Static<C>): AuthorizeSpec;
  /**
   * Advice added to the error of a final HTTP answer with this status (e.g. 402: quota spent),
   * or a function of the answer's headers (e.g. the token scope a 403 asks for).
   */
  httpAdvice?: Record<number, string | ((headers: Headers) => string | undefined)>;
}

export type Source<C extends TSchema = TSchema> = SourceDefinition<C>;

export function defineSource<C extends TSchema>(definition: SourceDefinition<C>): Source<C> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(definition.name)) {
    throw new Error(`source name ${JSON.stringify(definition.name)} must match [a-z][a-z0-9_]*`);
  }
  return definition;
}

export function defineStream<R, S = never>(stream: Stream<R, S>): Stream<R, S> {
  return stream;
}
