import type { Session } from '../db/session.js';
import { BronzeError } from '../errors.js';
import { copyStatement, quoteIdent } from './catalog.js';
import type { ArchivedTable } from './manifest.js';
import { archivedTableChunks } from './read-table-file.js';

const STAGE = 'bronze_import_stage';

/**
 * Adds the archive's rows of one table that the target lacks, so merging the same archive
 * twice adds nothing. Identity per kind: a source row is (stream, raw_id, version) — the
 * same key with another record_hash, or an id already used by another record, is a
 * conflict and fails the import; `_latest` keeps the higher version; meta tables skip rows
 * whose primary key exists (the target's row wins), tables without one skip equal rows.
 * Returns the rows added. Runs inside the import's transaction.
 */
export async function mergeTable(s: Session, dir: string, t: ArchivedTable, progress: (rows: number, done: boolean) => void): Promise<number> {
  const cols = t.columns.map(quoteIdent).join(', ');
  const target = quoteIdent(t.name);
  await s.query(`DROP TABLE IF EXISTS ${STAGE}`);
  await s.query(`CREATE TEMP TABLE ${STAGE} ON COMMIT DROP AS SELECT ${cols} FROM ${target} WITH NO DATA`);
  let rows = 0;
  for await (const chunk of archivedTableChunks(dir, t)) {
    await s.copyFrom!(copyStatement(STAGE, t.columns), [chunk]);
    rows += chunk.split('\n').length - 1;
    progress(rows, false);
  }
  const added = await insertMissing(s, t, cols, target);
  const [{ n: absent }] = await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${STAGE} s WHERE NOT EXISTS (SELECT 1 FROM ${target} t WHERE ${presentWhere(t)})`);
  if (absent > 0) throw new BronzeError(`verification failed for ${t.name}: ${absent} archived row(s) are not in the target after the merge; nothing was imported`);
  await s.query(`DROP TABLE ${STAGE}`);
  progress(rows, true);
  return added;
}

async function insertMissing(s: Session, t: ArchivedTable, cols: string, target: string): Promise<number> {
  const scols = t.columns.map((c) => `s.${quoteIdent(c)}`).join(', ');
  if (t.kind === 'source') {
    const [clash] = await s.query<{ stream: string; raw_id: string; version: number }>(
      `SELECT s.stream, s.raw_id, s.version FROM ${STAGE} s JOIN ${target} t USING (stream, raw_id, version) WHERE t.record_hash <> s.record_hash LIMIT 1`,
    );
    if (clash) throw new BronzeError(`cannot merge ${t.name}: stream ${clash.stream} record ${clash.raw_id} version ${clash.version} holds a different record in the target (the archive and the target have diverged); nothing was imported`);
    const [idClash] = await s.query<{ id: string }>(
      `SELECT s.id::text AS id FROM ${STAGE} s JOIN ${target} t ON t.id = s.id WHERE (t.stream, t.raw_id, t.version) IS DISTINCT FROM (s.stream, s.raw_id, s.version) LIMIT 1`,
    );
    if (idClash) throw new BronzeError(`cannot merge ${t.name}: id ${idClash.id} belongs to another record in the target; nothing was imported`);
    return count(s, `INSERT INTO ${target} (${cols}) SELECT ${scols} FROM ${STAGE} s
      WHERE NOT EXISTS (SELECT 1 FROM ${target} t WHERE t.stream = s.stream AND t.raw_id = s.raw_id AND t.version = s.version) RETURNING 1`);
  }
  if (t.kind === 'latest') {
    return count(s, `INSERT INTO ${target} AS t (${cols}) SELECT ${scols} FROM ${STAGE} s
      ON CONFLICT (stream, raw_id) DO UPDATE SET version = EXCLUDED.version, record_hash = EXCLUDED.record_hash
      WHERE t.version < EXCLUDED.version RETURNING 1`);
  }
  if (t.key.length) return count(s, `INSERT INTO ${target} (${cols}) SELECT ${scols} FROM ${STAGE} s ON CONFLICT DO NOTHING RETURNING 1`);
  return count(s, `INSERT INTO ${target} (${cols}) SELECT ${scols} FROM ${STAGE} s WHERE NOT EXISTS (SELECT 1 FROM ${target} t WHERE ${sameColumns(t.columns)}) RETURNING 1`);
}

function presentWhere(t: ArchivedTable): string {
  if (t.kind === 'source') return 't.stream = s.stream AND t.raw_id = s.raw_id AND t.version = s.version AND t.record_hash = s.record_hash';
  if (t.kind === 'latest') return 't.stream = s.stream AND t.raw_id = s.raw_id AND t.version >= s.version';
  if (t.key.length) return t.key.map((c) => `t.${quoteIdent(c)} = s.${quoteIdent(c)}`).join(' AND ');
  return sameColumns(t.columns);
}

function sameColumns(columns: string[]): string {
  return columns.map((c) => `t.${quoteIdent(c)}::text IS NOT DISTINCT FROM s.${quoteIdent(c)}::text`).join(' AND ');
}

async function count(s: Session, insert: string): Promise<number> {
  const [{ n }] = await s.query<{ n: number }>(`WITH ins AS (${insert}) SELECT count(*)::int AS n FROM ins`);
  return n;
}
