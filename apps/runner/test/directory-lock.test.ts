import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANUAL_CONFIG, tempProject } from './helpers.js';
import { bronze, waitFor, type Spawned } from './process-helpers.js';

// The lock guards the embedded database only: PostgreSQL takes concurrent processes.
describe('the embedded database lock [pglite]', () => {
  it('lets exactly one of 6 simultaneous processes in, however the directory is spelled; the others exit 75', async () => {
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
    mkdirSync(join(project.root, 'data', 'bronze'), { recursive: true });
    symlinkSync(join(project.root, 'data', 'bronze'), join(project.root, 'db-link'));
    const spellings = ['data/bronze', 'data/bronze/', './data//bronze', join(project.root, 'data', 'bronze'), `${join(project.root, 'data', 'bronze')}/`, 'db-link'];
    const children: Spawned[] = spellings.map((dir) => bronze(['schedule'], { BRONZE_HOME: project.root, BRONZE_DATA_DIR: dir }));
    try {
      // The winner keeps the lock until it is stopped; every loser exits on its own.
      await waitFor(() => children.filter((c) => c.child.exitCode !== null).length === spellings.length - 1, 'five processes to give up', 240_000);
      const running = children.filter((c) => c.child.exitCode === null);
      expect(running).toHaveLength(1);
      await waitFor(() => running[0].stdout().includes('bronze schedule: scheduled: manual'), 'the winner to start', 240_000);
      for (const c of children.filter((x) => x !== running[0])) {
        expect(await c.exit).toBe(75);
        expect(c.stderr()).toMatch(/another bronze process \(pid \d+\) is using the embedded database/);
      }
      running[0].child.kill('SIGTERM');
      expect(await running[0].exit).toBe(0);
      // Released: the next process gets in.
      const next = bronze(['schedule'], { BRONZE_HOME: project.root, BRONZE_DATA_DIR: 'data/bronze/' });
      await waitFor(() => next.stdout().includes('scheduled: manual') || next.child.exitCode !== null, 'a later process to start', 240_000);
      expect(next.child.exitCode).toBe(null);
      next.child.kill('SIGTERM');
      expect(await next.exit).toBe(0);
    } finally {
      for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    }
  }, 300_000);
});
