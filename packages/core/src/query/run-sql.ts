import type { BronzeDatabase } from '../db/database.js';
import type { StatementResult } from '../db/session.js';
import { BronzeError, errorMessage } from '../errors.js';

export type { StatementResult } from '../db/session.js';

/**
 * Runs SQL a person typed (`bronze sql`), on either engine, and returns each statement's
 * columns and rows. Read-only unless `write`: the statements run inside BEGIN READ ONLY, with
 * the session's default read-only too, so that a COMMIT in the text does not open a writable
 * transaction. With `write`, they commit together or not at all.
 */
export async function runSql(db: BronzeDatabase, text: string, o: { write?: boolean } = {}): Promise<StatementResult[]> {
  return db.withSession(async (session) => {
    if (!o.write) await session.query('SET default_transaction_read_only = on');
    try {
      await session.query(o.write ? 'BEGIN' : 'BEGIN READ ONLY');
      try {
        const results = await session.statements(text);
        await session.query('COMMIT');
        return results;
      } catch (err) {
        await session.query('ROLLBACK').catch(() => undefined);
        const message = errorMessage(err);
        const hint = !o.write && /read-only transaction/.test(message) ? ' (bronze sql is read-only; add --write to change data)' : '';
        throw new BronzeError(`${message}${hint}`, 1, { cause: err });
      }
    } finally {
      if (!o.write) await session.query('RESET default_transaction_read_only').catch(() => undefined);
    }
  });
}
