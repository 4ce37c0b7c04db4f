import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { inTransaction, type Session, type StatementResult } from './session.js';
import { JSON_TYPE_IDS, JsonText } from './json-text.js';

const asJsonText = (text: string) => new JsonText(text);
/** node-pg's parsers, but json and jsonb kept as the server's text (JsonText). */
const JSON_AS_TEXT = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (JSON_TYPE_IDS as readonly number[]).includes(oid) ? asJsonText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT']);

/** A socket error of the database connection says so: "write ECONNRESET" alone names nothing. */
function explained(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !CONNECTION_LOST.has(code)) return err;
  return new Error(`the database connection was lost (${(err as Error).message})`, { cause: err });
}

async function explaining<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw explained(err);
  }
}

export function pgSession(client: pg.PoolClient): Session {
  const s: Session = {
    engine: 'postgres',
    query: <T>(text: string, params?: unknown[]) => explaining(async () => (await client.query(text, params as unknown[])).rows as T[]),
    exec: (text) =>
      explaining(async () => {
        await client.query(text);
      }),
    statements: (text) =>
      explaining(async () => {
        const r = (await client.query({ text, rowMode: 'array', types: JSON_AS_TEXT })) as unknown as pg.QueryResult<unknown[]> | pg.QueryResult<unknown[]>[];
        return (Array.isArray(r) ? r : [r]).map(
          (x): StatementResult => ({ columns: (x.fields ?? []).map((f) => f.name), rows: x.rows ?? [], rowCount: x.rowCount ?? undefined, command: x.command || undefined }),
        );
      }),
    transaction: (fn) => inTransaction(s, fn),
    copyFrom: (statement, chunks) =>
      explaining(async () => {
        const stream = client.query(copyFrom(statement));
        await pipeline(Readable.from(chunks), stream);
      }),
  };
  return s;
}

export function pgliteSession(db: PGlite): Session {
  const s: Session = {
    engine: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query<T>(text, params)).rows;
    },
    async exec(text) {
      await db.exec(text);
    },
    async statements(text) {
      const results = await db.exec(text, { rowMode: 'array', parsers: Object.fromEntries(JSON_TYPE_IDS.map((id) => [id, asJsonText])) });
      return results.map((x): StatementResult => ({ columns: x.fields.map((f) => f.name), rows: x.rows as unknown[][], rowCount: x.affectedRows }));
    },
    transaction: (fn) => inTransaction(s, fn),
    async copyFrom(statement, chunks) {
      // PGlite reads COPY data from a Blob it exposes as the file /dev/blob.
      const blob = new Blob([...chunks]);
      await db.query(statement.replace(/FROM STDIN\s*$/i, "FROM '/dev/blob'"), [], { blob });
    },
  };
  return s;
}
