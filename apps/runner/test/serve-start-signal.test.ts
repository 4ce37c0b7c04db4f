import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MANUAL_CONFIG } from './helpers.js';
import { bronze, killChildren, project, waitFor } from './process-helpers.js';

afterEach(killChildren);

// The embedded database takes seconds to open: a Ctrl-C or a `docker stop` in that window must
// stop the process the way it does once it is ready. (PostgreSQL opens in milliseconds: no window to aim at.)
describe('a signal while bronze schedule starts [pglite]', () => {
  it('waits for the database to open, starts no run, and stops cleanly (exit 0)', async () => {
    const p = await project('pglite');
    try {
      writeFileSync(join(p.root, 'bronze.config.yaml'), MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: catch-up'));
      const cli = bronze(['schedule'], { ...p.env, LOG_LEVEL: 'debug' });
      await waitFor(() => cli.stderr().includes('opening the database') || cli.child.exitCode !== null, 'the database to start opening', 120_000);
      cli.child.kill('SIGTERM');
      const code = await cli.exit;
      expect({ code, signal: cli.child.signalCode }, cli.stderr()).toEqual({ code: 0, signal: null });
      expect(cli.stdout()).toContain('bronze schedule: stopped');
      expect(cli.stderr()).toContain('SIGTERM: finishing the batches in flight');

      // Closed cleanly: the next process opens the same database.
      const db = await p.open();
      try {
        // Stopped before it was ready: the catch-up run it owed is not started (and not recorded interrupted).
        const [{ runs }] = await db.withSession((s) => s.query<{ runs: string | null }>(`SELECT to_regclass('bronze_runs')::text AS runs`));
        const started = runs ? await db.withSession((s) => s.query<{ status: string }>('SELECT status FROM bronze_runs')) : [];
        expect(started).toEqual([]);
        expect(cli.stderr()).not.toContain('running once now');
      } finally {
        await db.close();
      }
    } finally {
      await p.drop();
    }
  }, 240_000);
});
