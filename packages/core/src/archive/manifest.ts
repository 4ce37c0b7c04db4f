import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BronzeError, ConfigError } from '../errors.js';
import { migrations as knownMigrations } from '../db/migrations.generated.js';
import type { TableInfo } from './catalog.js';

/** Bumped when a reader of the previous version could not read the archive right. */
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export interface ArchivedTable extends TableInfo {
  /** Path of the gzip'd COPY text file, relative to the archive directory. */
  file: string;
  rows: number;
  /** sha256 of the file's bytes as written (gzip): proves the file is whole. */
  sha256: string;
  /** sha256 of the uncompressed COPY text: proves the imported table holds the same rows. */
  contentSha256: string;
}

export interface Manifest {
  format: 'bronze-archive';
  formatVersion: number;
  createdAt: string;
  bronzeVersion: string;
  engine: 'postgres' | 'pglite';
  serverVersion: string;
  /** Migrations applied to the exported database: the schema version. */
  migrations: { name: string; checksum: string }[];
  tables: ArchivedTable[];
}

/**
 * Reads PATH/manifest.json and checks it can be imported by this bronze: format version
 * and every migration known with the same text (an archive from a newer schema is refused).
 */
export function readManifest(dir: string, checksums: Map<string, string> = knownChecksums()): Manifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new BronzeError(`${dir}: not a complete bronze archive (no ${MANIFEST_FILE}; an export that did not finish writes none)`);
  }
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (err) {
    throw new BronzeError(`${path}: unreadable manifest (${(err as Error).message})`);
  }
  if (m.format !== 'bronze-archive' || !Array.isArray(m.tables) || !Array.isArray(m.migrations)) {
    throw new BronzeError(`${path}: not a bronze archive manifest`);
  }
  if (m.formatVersion > ARCHIVE_FORMAT_VERSION) {
    throw new ConfigError(`${path}: archive format ${m.formatVersion} is newer than this bronze reads (${ARCHIVE_FORMAT_VERSION}); upgrade bronze to import it`);
  }
  for (const mig of m.migrations) {
    const known = checksums.get(mig.name);
    if (known === undefined) {
      throw new ConfigError(`${path}: the archive comes from a newer schema (migration ${mig.name} is unknown to bronze ${m.bronzeVersion ? `here; it was written by bronze ${m.bronzeVersion}` : 'here'}); upgrade bronze to import it`);
    }
    if (known !== mig.checksum) throw new ConfigError(`${path}: migration ${mig.name} differs from this bronze's; the archive comes from another schema`);
  }
  return m;
}

export function knownChecksums(): Map<string, string> {
  return new Map(knownMigrations.map((m) => [m.name, createHash('sha256').update(m.sql).digest('hex')]));
}
