import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { IngestResult } from '@bronze/core';
import { cliNodeFlags } from './cli-node-flags.js';

export interface ChildIngest {
  result: IngestResult;
  seconds: number;
  totalSeconds: number;
  maxRssMb: number;
  /** CPU seconds of the child's threads during the ingest (the span of `seconds`). */
  cpuSeconds: number;
  /** CPU seconds of the child's whole life: start-up and the database's opening too. */
  processCpuSeconds: number;
}

const CHILD = fileURLToPath(new URL('./ingest-child.mjs', import.meta.url));

/** Runs one ingest in a child process on the built packages (its own peak RSS), as `pnpm bronze ingest` would: the same Node flags. */
export function runIngest(env: NodeJS.ProcessEnv, files: string[], force: boolean, o: { source?: string; progress?: boolean } = {}): Promise<ChildIngest> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=DIR: a V8 CPU profile of each ingest child in DIR (summarize with src/profile-summary.mjs).
    const prof = env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', env.BENCH_CPU_PROF] : [];
    const child = spawn(process.execPath, [...cliNodeFlags(), ...prof, CHILD, JSON.stringify({ files, force, ...o })], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`ingest child exited ${code}: ${out.slice(-2000)}`));
      const parsed = JSON.parse(line) as ChildIngest;
      if (parsed.result.status !== 'succeeded') return reject(new Error(`ingest failed: ${parsed.result.errors.join('; ')}`));
      resolve(parsed);
    });
  });
}
