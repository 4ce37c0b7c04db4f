import type { Session } from '../db/session.js';
import type { SpareSession } from './bulk-month.js';

/** A second connection held until released (a SpareSession runs one function on one). */
export interface LeasedSession {
  readonly session: Session;
  /** Gives the connection back; with an error, as broken (the pool closes it). */
  release(error?: unknown): Promise<void>;
}

export async function leaseSession(spare: SpareSession): Promise<LeasedSession> {
  let end!: (error?: unknown) => void;
  const ended = new Promise<void>((resolve, reject) => {
    end = (error) => (error === undefined ? resolve() : reject(error));
  });
  let lent!: (s: Session) => void;
  const lentSession = new Promise<Session>((resolve) => {
    lent = resolve;
  });
  const held = spare(async (s) => {
    lent(s);
    await ended;
  });
  // The pool may fail before lending one (a timeout, the server gone).
  const session = await Promise.race([lentSession, held.then(() => lentSession)]);
  return {
    session,
    async release(error) {
      end(error);
      await held.catch(() => undefined);
    },
  };
}
