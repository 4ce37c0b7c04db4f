import type { Session } from '../db/session.js';
import { quoteIdent } from '../archive/catalog.js';

/**
 * Reads of the bronze_<source> tables that are not the loader's: what is stored per stream,
 * what one run wrote, and the identity of every row (tests compare it across runs).
 * Source names are checked by defineSource ([a-z][a-z0-9_]*); quoteIdent guards the rest.
 */

const table = (source: string) => quoteIdent(`bronze_${source}`);

/** Creates bronze_<source> and friends if needed (idempotent). */
export async function ensureSourceTable(session: Session, source: string): Promise<void> {
  await session.query('SELECT bronze_ensure_source_table($1)', [source]);
}

/** True when bronze_<source> exists (a source never run has none). */
export async function sourceTableExists(session: Session, source: string): Promise<boolean> {
  const [row] = await session.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [quoteIdent(`bronze_${source}`)]);
  return Boolean(row?.t);
}

export interface StreamRows {
  stream: string;
  rows: number;
  invalid: number;
  lastIngestedAt: Date;
}

/** Rows, invalid rows and the last ingested_at per stream (a full count: not for every request). */
export async function countStreamRows(session: Session, source: string): Promise<StreamRows[]> {
  if (!(await sourceTableExists(session, source))) return [];
  const rows = await session.query<{ stream: string; rows: number; invalid: number; last: Date | string }>(
    `SELECT stream, count(*)::int AS rows, (count(*) FILTER (WHERE validation_status = 'invalid'))::int AS invalid,
            max(ingested_at) AS last FROM ${table(source)} GROUP BY stream ORDER BY stream`,
  );
  return rows.map((r) => ({ stream: r.stream, rows: r.rows, invalid: r.invalid, lastIngestedAt: new Date(r.last) }));
}

export interface RunRows {
  stream: string;
  validationStatus: string;
  rows: number;
}

/** The rows one run wrote, per stream and validation status. */
export async function countRunRows(session: Session, source: string, runId: string): Promise<RunRows[]> {
  const rows = await session.query<{ stream: string; validation_status: string; n: number }>(
    `SELECT stream, validation_status, count(*)::int AS n FROM ${table(source)} WHERE pipeline_run_id = $1 GROUP BY 1, 2`,
    [runId],
  );
  return rows.map((r) => ({ stream: r.stream, validationStatus: r.validation_status, rows: r.n }));
}

/** Every row's identity: `stream|raw_id|version|record_hash|validation_status`, in key order. */
export async function rowIdentities(session: Session, source: string): Promise<string[]> {
  const rows = await session.query<{ stream: string; raw_id: string; version: number; record_hash: string; validation_status: string }>(
    `SELECT stream, raw_id, version, record_hash, validation_status FROM ${table(source)} ORDER BY stream, raw_id, version`,
  );
  return rows.map((r) => `${r.stream}|${r.raw_id}|${r.version}|${r.record_hash}|${r.validation_status}`);
}

/**
 * Rows of bronze_<source>, all or those matching `where`: an SQL condition written by the
 * caller (tests: `stream = 'fit_files'`), never built from input.
 */
export async function countSourceRows(session: Session, source: string, where = 'true'): Promise<number> {
  const [r] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table(source)} WHERE ${where}`);
  return r.n;
}

/** Which rows of a bronze table: those of one file import or of one run, optionally of one stream. */
export interface RowSelection {
  filePath?: string;
  runId?: string;
  stream?: string;
}

function where(sel: RowSelection): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts: string[] = [];
  if (sel.filePath !== undefined) parts.push(`file_path = $${params.push(sel.filePath)}`);
  if (sel.runId !== undefined) parts.push(`pipeline_run_id = $${params.push(sel.runId)}`);
  if (sel.stream !== undefined) parts.push(`stream = $${params.push(sel.stream)}`);
  return { sql: parts.length ? parts.join(' AND ') : 'true', params };
}

/** The rows a file import or a run stored, in the order they were written (the hostile-input suite checks each). */
export async function selectedRows<T = Record<string, unknown>>(session: Session, source: string, sel: RowSelection): Promise<T[]> {
  const w = where(sel);
  return session.query<T>(`SELECT raw_id, validation_status, error_message, raw_data, source_timestamp, metadata FROM ${table(source)} WHERE ${w.sql} ORDER BY id`, w.params);
}

/** The error messages of the selected rows that have one. */
export async function selectedErrorMessages(session: Session, source: string, sel: RowSelection): Promise<string[]> {
  const w = where(sel);
  const rows = await session.query<{ m: string }>(`SELECT error_message AS m FROM ${table(source)} WHERE ${w.sql} AND error_message IS NOT NULL ORDER BY id`, w.params);
  return rows.map((r) => r.m);
}

/** Rows of the table (of one stream); 0 before the source's first run made its table. */
export async function countSelectedRows(session: Session, source: string, sel: RowSelection = {}): Promise<number> {
  if (!(await sourceTableExists(session, source))) return 0;
  const w = where(sel);
  const [r] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table(source)} WHERE ${w.sql}`, w.params);
  return r.n;
}

/**
 * Whether the newest row whose raw_data.<idField> is `id` stores raw_data.<field> as exactly
 * the number `literal` (numeric equality), and the text it stores it as.
 */
export async function storedNumber(session: Session, source: string, idField: string, id: string, field: string, literal: string): Promise<{ same: boolean; text: string }> {
  const [r] = await session.query<{ same: boolean; text: string }>(
    `SELECT (raw_data->>$1)::numeric = $2::numeric AS same, raw_data->>$1 AS text FROM ${table(source)}
      WHERE id = (SELECT max(id) FROM ${table(source)} WHERE raw_data->>$3 = $4)`,
    [field, literal, idField, id],
  );
  return r;
}
