/** One database connection: the unit that holds a source's advisory lock and its transactions. */
export interface Session {
  readonly engine: 'postgres' | 'pglite';
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (DDL, migrations). */
  exec(text: string): Promise<void>;
  /** Runs fn inside BEGIN/COMMIT on this connection; rolls back on error. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** COPY … FROM STDIN with text-format lines (node-pg: streamed; PGlite: one Blob per call). */
  copyFrom?(statement: string, chunks: Iterable<string>): Promise<void>;
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
