import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { BronzeDatabase } from '../db/database.js';
import type { Session } from '../db/session.js';
import { ConfigError } from '../errors.js';
import { CORE_VERSION } from '../version.js';
import { listBronzeTables, type TableInfo } from './catalog.js';
import { ARCHIVE_FORMAT_VERSION, MANIFEST_FILE, type ArchivedTable, type Manifest } from './manifest.js';
import { countLines, setPortableOutput, tableCopyText } from './table-text.js';

/** Called as tables are written: rows so far of the current table, and tables done. */
export type ArchiveProgress = (p: { table: string; rows: number; tableIndex: number; tables: number; done: boolean }) => void;

/**
 * Writes everything bronze owns into the directory `dir` (created; must be empty): one
 * gzip'd COPY text file per table under `tables/`, then `manifest.json` last, so an
 * export that dies half-way leaves no manifest and can never be imported. All tables are
 * read in one REPEATABLE READ transaction: a consistent snapshot even while runs write.
 */
export async function exportDatabase(db: BronzeDatabase, dir: string, onProgress?: ArchiveProgress): Promise<Manifest> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new ConfigError(`${dir}: the archive directory exists and is not empty; choose a new path`);
  mkdirSync(join(dir, 'tables'), { recursive: true });
  return db.withSession(async (s) => {
    await s.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      await setPortableOutput(s);
      const [{ version }] = await s.query<{ version: string }>('SHOW server_version');
      const migrations = await s.query<{ name: string; checksum: string }>('SELECT name, checksum FROM bronze_migrations ORDER BY name');
      const tables = await listBronzeTables(s);
      const archived: ArchivedTable[] = [];
      for (const [i, t] of tables.entries()) {
        archived.push(await exportTable(s, dir, t, (rows, done) => onProgress?.({ table: t.name, rows, tableIndex: i, tables: tables.length, done })));
      }
      const manifest: Manifest = {
        format: 'bronze-archive',
        formatVersion: ARCHIVE_FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        bronzeVersion: CORE_VERSION,
        engine: db.engine,
        serverVersion: version,
        migrations,
        tables: archived,
      };
      writeFileSync(join(dir, `${MANIFEST_FILE}.tmp`), `${JSON.stringify(manifest, null, 2)}\n`);
      renameSync(join(dir, `${MANIFEST_FILE}.tmp`), join(dir, MANIFEST_FILE));
      return manifest;
    } finally {
      await s.query('COMMIT').catch(() => undefined);
    }
  });
}

async function exportTable(s: Session, dir: string, t: TableInfo, progress: (rows: number, done: boolean) => void): Promise<ArchivedTable> {
  const file = `tables/${t.name}.copy.gz`;
  const content = createHash('sha256');
  const bytes = createHash('sha256');
  let rows = 0;
  async function* lines() {
    for await (const chunk of tableCopyText(s, t)) {
      content.update(chunk);
      rows += countLines(chunk);
      progress(rows, false);
      yield chunk;
    }
  }
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes.update(chunk);
      cb(null, chunk);
    },
  });
  await pipeline(Readable.from(lines()), createGzip(), tap, createWriteStream(join(dir, file)));
  progress(rows, true);
  return { ...t, file, rows, sha256: bytes.digest('hex'), contentSha256: content.digest('hex') };
}
