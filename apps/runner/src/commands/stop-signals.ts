import type { Logger } from '@bronze/core';

/**
 * One Ctrl-C reaches this process more than once: the terminal signals the whole process
 * group (pnpm, tsx, node), and tsx relays the signal again when the child does not confirm
 * it within 30 ms (a busy event loop). Signals this close to the first are that same Ctrl-C.
 */
const SAME_CTRL_C_MS = 3000;

/**
 * Ctrl-C/SIGTERM: stop reading, commit the batch in flight, finish the run (summary,
 * status 'failed', file 'interrupted'). A deliberate second signal exits at once; the run
 * left 'running' is then marked abandoned by the source's next run. Installed before the
 * database opens, so that a signal during a slow or stuck open ends the process too, and
 * a signal that arrives before the process says it is ready is never fatal.
 */
export function abortOnSignals(logger: Logger, inFlight = 'the batch in flight'): { signal: AbortSignal; dispose(exitCode?: number): void } {
  const ac = new AbortController();
  let firstAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) {
      if (Date.now() - firstAt < SAME_CTRL_C_MS) return;
      logger.warn(`${sig} again: exiting now without committing ${inFlight}`);
      process.exit(130);
    }
    firstAt = Date.now();
    logger.warn(`${sig}: finishing ${inFlight}, then stopping (send again to exit at once)`);
    ac.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose(exitCode?: number) {
      // After a Ctrl-C, late copies of it may still arrive while the database closes.
      if (ac.signal.aborted) return;
      // The command is done (its run committed, its database closed) but has not returned yet:
      // a signal now ends the process with the command's own code. Added before the handlers
      // are removed: without a listener, Node gives the signal back to the OS, whose default
      // kills the process (a succeeded run's ingest ending by SIGINT).
      if (exitCode !== undefined) {
        const exit = () => process.exit(exitCode);
        process.once('SIGINT', exit);
        process.once('SIGTERM', exit);
      }
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
