import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { bronze, killChildren, project, waitFor } from './process-helpers.js';

afterEach(() => killChildren());

/**
 * A Ctrl-C that lands after the run's summary, while the embedded database closes (~150 ms
 * of PGlite's close): the run succeeded and is committed, so the process exits 0 after a
 * whole close. Until 2026-12-01 the signal handlers were removed before the close: the
 * signal killed the process (exit by SIGINT, 130 in a shell), its close cut short like a
 * kill -9. Three tries: the window is short, and each try must exit 0.
 */
it('Ctrl-C while the embedded database closes after a succeeded run: exit 0, the close completes', async () => {
  const p = await project('pglite');
  const file = join(import.meta.dirname, '..', '..', '..', 'examples', 'weights.csv');
  const first = bronze(['ingest', 'manual', '--file', file], p.env);
  expect(await first.exit, first.stderr()).toBe(0);
  for (let i = 0; i < 3; i++) {
    const run = bronze(['ingest', 'manual', '--file', file, '--force'], p.env);
    await waitFor(() => /^manual: succeeded/m.test(run.stdout()) || run.child.exitCode !== null, 'the summary', 120_000);
    run.child.kill('SIGINT');
    const code = await run.exit;
    expect({ code, signal: run.child.signalCode }, run.stderr()).toEqual({ code: 0, signal: null });
  }
  const db = await p.open();
  try {
    const runs = await db.withSession((s) => s.query<{ status: string }>('SELECT status FROM bronze_runs ORDER BY started_at'));
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  } finally {
    await db.close();
  }
}, 300_000);
