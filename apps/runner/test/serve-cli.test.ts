import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type BronzeDatabase, loadSettings } from '@bronze/core';
import { createTestDatabase, testEngines } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import { get, tempProject } from './helpers.js';

const RUNNER = join(import.meta.dirname, '..');
const ROWS = 60_000;
const BATCH = 1000;

/** `bronze serve` as a user starts it: a child process, stdout and stderr collected. */
function startCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args], { cwd: RUNNER, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (b) => (output.stdout += String(b)));
  child.stderr!.on('data', (b) => (output.stderr += String(b)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (stream: 'stdout' | 'stderr', pattern: RegExp) => {
    for (;;) {
      const m = pattern.exec(output[stream]);
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`bronze exited ${child.exitCode}:\n${output.stdout}\n${output.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, output, exited, waitFor };
}

function bigCsv(path: string) {
  const lines = ['id,date,value'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i * 0.5}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe.each(testEngines())('bronze serve as a process [%s]', (engine) => {
  it('listens on loopback, and on SIGTERM commits the batch in flight and exits 0', async () => {
    const project = tempProject(`
missedRuns: catch-up
sources:
  manual:
    schedule: "0 0 1 1 *"
    files: [big]
    batchSize: ${BATCH}
`);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(project.root, 'big'));
    bigCsv(join(project.root, 'big', 'numbers.csv'));
    const server = engine === 'postgres' ? await createTestDatabase('postgres') : undefined;
    const env = { ...project.env, ...(server?.env ?? {}), LOG_LEVEL: 'info' };
    let cli: ReturnType<typeof startCli> | undefined;
    let db: BronzeDatabase | undefined;
    try {
      cli = startCli(['serve', '--port', '0'], env);
      const [, url] = await cli.waitFor('stdout', /listening on (http:\/\/[^ ]+) /);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await get(`${url}/health`)).status).toBe(200);
      // missedRuns: catch-up starts the never-run source at once; stop it while it reads.
      await cli.waitFor('stderr', /run [0-9a-f-]+ of manual started/);
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      expect(cli.output.stdout).toContain('bronze serve: stopped');

      db = server ?? (await openDatabase(loadSettings({ env }).database));
      const runs = await db.withSession((s) => s.query<{ status: string; error: string | null; records_inserted: string }>(
        `SELECT status, error, records_inserted::text FROM bronze_runs WHERE source = 'manual'`));
      expect(runs).toHaveLength(1);
      const [run] = runs;

      const [{ n }] = await db.withSession((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM bronze_manual'));
      // Finished either way, never left 'running': what was read before the signal is committed and counted.
      expect(Number(run.records_inserted)).toBe(n);
      if (run.status === 'failed') {
        expect(run.error).toContain('interrupted');
        expect(n).toBeLessThan(ROWS);
      } else {
        expect(run.status).toBe('succeeded');
        expect(n).toBe(ROWS);
      }
    } finally {
      if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
      await db?.close();
    }
  }, 180_000);
});
