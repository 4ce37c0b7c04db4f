import { spawn } from 'node:child_process';
import { join } from 'node:path';

const PACKAGE_DIR = join(import.meta.dirname, '../..');
// node itself with tsx as a loader: one process, so the signal reaches the ingesting process.
const TSX_LOADER = join(PACKAGE_DIR, '../../node_modules/tsx/dist/loader.mjs');

export async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 4800 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

/** `pnpm --filter source-garmin ingest`'s entry, as a child process. */
export function spawnIngest(env: NodeJS.ProcessEnv, args: string[] = []) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX_LOADER, '../../apps/runner/src/cli.ts', 'ingest', 'garmin', ...args], {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.on('exit', (code, signal) => ok({ code, signal })));
  return { child, exited, output: () => output };
}
