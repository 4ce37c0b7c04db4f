import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Source, Stream } from '@bronze/core';

const PACKAGE_DIR = join(import.meta.dirname, '..');
// node itself with tsx as a loader: one process, so the signal reaches the ingesting process.
const TSX_LOADER = join(PACKAGE_DIR, '../../node_modules/tsx/dist/loader.mjs');

export async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 4800 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

/** `pnpm --filter source-toggl ingest`'s entry, as a child process. */
export function spawnIngest(env: NodeJS.ProcessEnv, args: string[] = []) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX_LOADER, '../../apps/runner/src/cli.ts', 'ingest', 'toggl', ...args], {
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

/**
 * The source with one stream's reader aborting `controller` right after its n-th item (the
 * way Ctrl-C lands between two records): core then stops after that record.
 */
export function abortingAfter(source: Source, stream: string, n: number, controller: AbortController): Source {
  const wrap = (s: Stream): Stream =>
    s.name !== stream || !s.read
      ? s
      : {
          ...s,
          async *read(args, ctx) {
            let seen = 0;
            for await (const item of s.read!(args, ctx)) {
              yield item;
              if (++seen === n) controller.abort(new Error('interrupted by the test'));
            }
          },
        };
  return { ...source, streams: (config) => source.streams(config).map(wrap) };
}
