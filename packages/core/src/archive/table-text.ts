import { createHash } from 'node:crypto';
import type { Session } from '../db/session.js';
import { copyField } from '../loader/copy-text.js';
import { orderClause, quoteIdent, type TableInfo } from './catalog.js';

const FETCH_ROWS = 2000;

/**
 * Text settings that make every server print values the same way (PostgreSQL 15 and
 * PGlite's 18 alike), so a table's COPY text and its sha256 do not depend on where it was
 * read. SET LOCAL: they end with the transaction and never leak into a pooled connection.
 */
export async function setPortableOutput(s: Session): Promise<void> {
  await s.exec(`SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, MDY'; SET LOCAL IntervalStyle = 'postgres';
    SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'`);
}

/**
 * The table's rows as COPY text chunks (whole lines), read through a cursor in bounded
 * memory, in the deterministic order of `orderClause`. Must run inside a transaction.
 */
export async function* tableCopyText(s: Session, t: TableInfo, cursor = 'bronze_archive_cursor'): AsyncGenerator<string> {
  const select = t.columns.map((c, i) => `${quoteIdent(c)}::text AS c${i}`).join(', ');
  await s.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${select} FROM ${quoteIdent(t.name)} ORDER BY ${orderClause(t)}`);
  try {
    for (;;) {
      const rows = await s.query<Record<string, string | null>>(`FETCH ${FETCH_ROWS} FROM ${cursor}`);
      if (rows.length === 0) break;
      let chunk = '';
      for (const row of rows) {
        let line = '';
        for (let i = 0; i < t.columns.length; i++) line += (i ? '\t' : '') + copyField(row[`c${i}`]);
        chunk += `${line}\n`;
      }
      yield chunk;
    }
  } finally {
    await s.query(`CLOSE ${cursor}`).catch(() => undefined);
  }
}

/** Row count and sha256 of a table's COPY text, as the export computes them. */
export async function tableDigest(s: Session, t: TableInfo): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  for await (const chunk of tableCopyText(s, t, 'bronze_verify_cursor')) {
    hash.update(chunk);
    rows += countLines(chunk);
  }
  return { rows, sha256: hash.digest('hex') };
}

export function countLines(chunk: string): number {
  let n = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n++;
  return n;
}
