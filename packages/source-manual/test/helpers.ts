import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, silentLogger, type BronzeDatabase, type IngestOptions } from '@bronze/core';
import manual from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'bronze-manual-'));

/** Writes a file in a temp folder (same name → same path, like a user editing a file). */
export function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export function run(db: BronzeDatabase, files: string[], o: Partial<IngestOptions> = {}) {
  return ingest(db, manual, { logger: silentLogger(), files, ...o });
}

export async function rows(db: BronzeDatabase, stream: string) {
  return db.withSession((s) =>
    s.query<{ raw_id: string; version: number; validation_status: string; error_message: string | null; raw_data: Record<string, unknown>; metadata: Record<string, unknown> | null; source_timestamp: Date | null; file_path: string; file_hash: string }>(
      `SELECT raw_id, version, validation_status, error_message, raw_data, metadata, source_timestamp, file_path, file_hash
         FROM bronze_manual WHERE stream = $1 ORDER BY (metadata->>'line')::int NULLS LAST, raw_id, version`,
      [stream],
    ),
  );
}
