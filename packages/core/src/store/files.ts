import type { Session } from '../db/session.js';
import type { Source } from '../contract.js';
import { sha256File } from '../files/imported-file.js';

/** bronze_files: one row per import of one file (path, content) into one set of streams. */
export type FileImportStatus = 'importing' | 'imported' | 'failed' | 'interrupted';

export interface CheckedFile {
  path: string;
  size: number;
  mtime: Date;
}

/** The streams one file feeds (sorted): part of the file's identity in the registry. */
export function streamsOfFile(source: Source, config: unknown, path: string): string[] {
  return source
    .streams(config as never, { files: [path] })
    .map((s) => s.name)
    .sort();
}

/** The file's hash, reusing the stored one when path, size and mtime are unchanged. */
export async function identifyFile(session: Session | undefined, source: string, f: CheckedFile, signal?: AbortSignal): Promise<string> {
  if (session) {
    const [known] = await session.query<{ sha256: string }>(
      `SELECT sha256 FROM bronze_files WHERE source = $1 AND path = $2 AND size = $3 AND mtime = $4 AND status = 'imported'
        ORDER BY id DESC LIMIT 1`,
      [source, f.path, f.size, f.mtime.toISOString()],
    );
    if (known) return known.sha256;
  }
  return sha256File(f.path, signal);
}

/**
 * True when the last import of this path into these streams finished with this content:
 * then reading it again would add nothing. An unfinished last import, other content
 * (A → B → A), another path or other streams (identical bytes elsewhere) are read.
 */
export async function alreadyImported(session: Session, source: string, path: string, streams: string[], sha256: string): Promise<boolean> {
  const [last] = await session.query<{ sha256: string; status: string }>(
    `SELECT sha256, status FROM bronze_files WHERE source = $1 AND path = $2 AND streams = $3::text[] ORDER BY id DESC LIMIT 1`,
    [source, path, streams],
  );
  return last?.status === 'imported' && last.sha256 === sha256;
}

export interface ImportStart {
  source: string;
  path: string;
  streams: string[];
  sha256: string;
  size: number;
  mtime: Date;
  compression?: string;
  encoding: string;
  runId: string;
}

/** Logs the start of an import ('importing'); returns the row's id. */
export async function beginImport(session: Session, a: ImportStart): Promise<string> {
  const [{ id }] = await session.query<{ id: string }>(
    `INSERT INTO bronze_files (source, sha256, path, streams, size, mtime, compression_type, encoding, status, run_id, records)
     VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, 'importing', $9, 0) RETURNING id::text AS id`,
    [a.source, a.sha256, a.path, a.streams, a.size, a.mtime.toISOString(), a.compression ?? null, a.encoding, a.runId],
  );
  return id;
}

export async function endImport(session: Session, id: string, status: Exclude<FileImportStatus, 'importing'>, error?: string, encoding?: string): Promise<void> {
  // The encoding is known only once a text reader has decoded the file (detected, not guessed up front).
  await session.query(
    `UPDATE bronze_files SET status = $2, error = $3, imported_at = CASE WHEN $2 = 'imported' THEN now() ELSE imported_at END,
       encoding = COALESCE($4, encoding) WHERE id = $1`,
    [id, status, error ?? null, encoding ?? null],
  );
}

/** Counts a committed batch's records (and ids repeated within the file) on its import row. */
export async function addFileRecords(session: Session, id: string, records: number, repeatedIds: number): Promise<void> {
  await session.query('UPDATE bronze_files SET records = records + $2, repeated_ids = repeated_ids + $3 WHERE id = $1', [id, records, repeatedIds]);
}

/** Status of the source's last file import ('imported', 'interrupted', 'failed'…), null if none. */
export async function lastFileImportStatus(session: Session, source: string): Promise<FileImportStatus | null> {
  const [file] = await session.query<{ status: FileImportStatus }>('SELECT status FROM bronze_files WHERE source = $1 ORDER BY id DESC LIMIT 1', [source]);
  return file?.status ?? null;
}
