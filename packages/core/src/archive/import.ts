import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BronzeDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import type { Session } from '../db/session.js';
import { BronzeError, ConfigError } from '../errors.js';
import { copyStatement, listBronzeTables, quoteIdent } from './catalog.js';
import type { ArchiveProgress } from './export.js';
import { readManifest, type ArchivedTable, type Manifest } from './manifest.js';
import { mergeTable } from './merge.js';
import { archivedTableChunks } from './read-table-file.js';
import { setPortableOutput, tableDigest } from './table-text.js';

export interface ImportOptions {
  /** Add the archive's rows to a database that already holds data (idempotent). */
  merge?: boolean;
  onProgress?: ArchiveProgress;
}

export interface ImportResult {
  manifest: Manifest;
  /** Per table: rows in the archive and rows added to the target. */
  tables: { name: string; rows: number; added: number }[];
}

const TABLE_NAME = /^bronze_[a-z0-9_]+$/;

/**
 * Loads an archive written by exportDatabase into `db`, in ONE transaction: a crash or an
 * error at any point leaves the target as it was, and a re-run starts again from scratch.
 * Without `merge` the target must hold no bronze rows; every table is then verified
 * byte-for-byte against the manifest (row count and sha256 of its COPY text, re-read from
 * the target). With `merge`, rows already present are skipped and every archived row is
 * checked to be present afterwards.
 */
export async function importArchive(db: BronzeDatabase, dir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const manifest = readManifest(dir);
  for (const t of manifest.tables) {
    if (!TABLE_NAME.test(t.name)) throw new BronzeError(`${dir}: the manifest names a table bronze does not own (${t.name})`);
    if (!existsSync(join(dir, t.file))) throw new BronzeError(`${join(dir, t.file)}: missing from the archive (truncated copy?); nothing was imported`);
  }
  return db.withSession(async (s) => {
    await migrate(s);
    if (!options.merge) await refuseNonEmpty(s, db.location);
    await s.query('BEGIN');
    try {
      await setPortableOutput(s);
      await createSourceTables(s, manifest.tables);
      const result: ImportResult = { manifest, tables: [] };
      for (const [i, t] of manifest.tables.entries()) {
        await checkColumns(s, t);
        const progress = (rows: number, done: boolean) => options.onProgress?.({ table: t.name, rows, tableIndex: i, tables: manifest.tables.length, done });
        const added = options.merge ? await mergeTable(s, dir, t, progress) : await copyTable(s, dir, t, progress);
        result.tables.push({ name: t.name, rows: t.rows, added });
      }
      for (const t of manifest.tables) await advanceSequences(s, t.name);
      if (!options.merge) for (const t of manifest.tables) await verifyTable(s, t);
      await s.query('COMMIT');
      return result;
    } catch (err) {
      await s.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

async function refuseNonEmpty(s: Session, location: string): Promise<void> {
  const held: string[] = [];
  for (const t of await listBronzeTables(s)) {
    const [{ n }] = await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${quoteIdent(t.name)} LIMIT 1000) x`);
    if (n > 0) held.push(`${t.name}: ${n === 1000 ? '1000+' : n} rows`);
  }
  if (held.length) {
    throw new ConfigError(`${location} already holds bronze data (${held.slice(0, 3).join(', ')}${held.length > 3 ? ', …' : ''}); import into an empty database, or add --merge to add the archive's rows to it`);
  }
}

async function createSourceTables(s: Session, tables: ArchivedTable[]): Promise<void> {
  for (const t of tables) {
    if (t.kind !== 'source' || !t.source) continue;
    await s.query('SELECT bronze_ensure_source_table($1)', [t.source]);
    for (const month of t.months ?? []) await s.query('SELECT bronze_ensure_month_partition($1, $2::date)', [t.name, `${month}-01`]);
  }
}

async function checkColumns(s: Session, t: ArchivedTable): Promise<void> {
  const rows = await s.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`,
    [quoteIdent(t.name)],
  );
  if (rows.length === 0) throw new BronzeError(`the target has no table ${t.name} (archive from another schema); nothing was imported`);
  const have = new Set(rows.map((r) => r.name));
  const missing = t.columns.filter((c) => !have.has(c));
  if (missing.length) throw new BronzeError(`${t.name} in the target lacks the archive's column(s) ${missing.join(', ')}; nothing was imported`);
}

async function copyTable(s: Session, dir: string, t: ArchivedTable, progress: (rows: number, done: boolean) => void): Promise<number> {
  if (!s.copyFrom) throw new BronzeError('this database session cannot COPY');
  const statement = copyStatement(t.name, t.columns);
  let rows = 0;
  for await (const chunk of archivedTableChunks(dir, t)) {
    await s.copyFrom(statement, [chunk]);
    rows += chunk.split('\n').length - 1;
    progress(rows, false);
  }
  progress(rows, true);
  return rows;
}

/** Sequences owned by the table's columns continue after the highest imported value. */
async function advanceSequences(s: Session, table: string): Promise<void> {
  const owned = await s.query<{ seq: string; col: string }>(
    `SELECT sc.relname AS seq, a.attname AS col FROM pg_depend d
       JOIN pg_class sc ON sc.oid = d.objid AND sc.relkind = 'S'
       JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE d.refobjid = to_regclass($1) AND d.deptype IN ('a', 'i')`,
    [quoteIdent(table)],
  );
  for (const { seq, col } of owned) {
    await s.query(
      `SELECT setval($1::regclass, m) FROM (SELECT max(${quoteIdent(col)}) AS m FROM ${quoteIdent(table)}) x
        WHERE m IS NOT NULL AND m >= (SELECT last_value FROM ${quoteIdent(seq)})`,
      [quoteIdent(seq)],
    );
  }
}

async function verifyTable(s: Session, t: ArchivedTable): Promise<void> {
  const got = await tableDigest(s, t);
  if (got.rows !== t.rows || got.sha256 !== t.contentSha256) {
    throw new BronzeError(`verification failed for ${t.name}: the target holds ${got.rows} rows (archive: ${t.rows})${got.sha256 !== t.contentSha256 ? ' with different content' : ''}; nothing was imported`);
  }
}
