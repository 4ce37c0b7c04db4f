/** One database connection: the unit that holds a source's advisory lock and its transactions. */
export interface Session {
  readonly engine: 'postgres' | 'pglite';
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (DDL, migrations). */
  exec(text: string): Promise<void>;
  /** Several statements as typed by a person (`bronze sql`): each one's columns and rows, in order; json and jsonb values as JsonText. */
  statements(text: string): Promise<StatementResult[]>;
  /** Runs fn inside BEGIN/COMMIT on this connection; rolls back on error. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** COPY … FROM STDIN with text-format lines (node-pg: streamed; PGlite: one Blob per call). */
  copyFrom?(statement: string, chunks: Iterable<string | Uint8Array>): Promise<void>;
}

/** One statement's outcome: column names (duplicates kept) and rows as arrays. */
export interface StatementResult {
  columns: string[];
  rows: unknown[][];
  /** Rows a data-changing statement touched (INSERT, UPDATE, DELETE…), when the engine says. */
  rowCount?: number;
  /** The command tag (SELECT, INSERT…), when the engine says (node-pg does, PGlite does not). */
  command?: string;
}

export async function inTransaction<T>(s: Pick<Session, 'query'>, fn: () => Promise<T>): Promise<T> {
  await s.query('BEGIN');
  try {
    const out = await fn();
    await s.query('COMMIT');
    return out;
  } catch (err) {
    await s.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
