import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url));

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `bronze …` as a child process (tsx on the sources), with no database settings from this
 * process's environment; `input` is written to its stdin (a pipe, not a terminal).
 */
export function runBronze(args: string[], env: Record<string, string>, o: { input?: string; cwd?: string } = {}): Promise<Finished> & { pid(): number | undefined; kill(sig: NodeJS.Signals): void } {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    cwd: o.cwd ?? REPO_DIR,
    env: { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: '', INIT_CWD: '', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(o.input ?? '');
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return Object.assign(done, { pid: () => child.pid, kill: (sig: NodeJS.Signals) => void child.kill(sig) });
}

/** Lines of stderr that mention the text (an error must be printed once, not also as a log line). */
export const linesWith = (text: string, needle: string) => text.split('\n').filter((l) => l.includes(needle));
