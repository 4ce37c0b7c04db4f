/**
 * `pnpm bench --startup`: the CLI as a new user meets it, on the built JavaScript
 * (apps/runner/dist/cli.js, what `pnpm bronze` runs): `bronze status` on PostgreSQL and
 * on the embedded database, README command 1 on a fresh data folder, and a 100k-line
 * manual import on the embedded database. Wall time and peak RSS (GNU time's maximum
 * resident set size) of each process.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliNodeFlags } from '../cli-node-flags.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const CLI = join(ROOT, 'apps/runner/dist/cli.js');

export interface StartupFigures {
  measures: { name: string; seconds: number; peak_rss_mb: number; exit: number }[];
  date: string;
}

function measure(name: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): StartupFigures['measures'][number] {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH_RSS_KB=%M', process.execPath, ...cliNodeFlags(), CLI, ...args], { cwd, env, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  const kb = Number(/BENCH_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  if (r.status !== 0) process.stderr.write(`${name} exited ${r.status}: ${r.stderr.slice(-1000)}\n`);
  process.stderr.write(`  ${seconds.toFixed(2)} s, peak RSS ${(kb / 1024).toFixed(0)} MB, exit ${r.status}\n`);
  return { name, seconds, peak_rss_mb: kb / 1024, exit: r.status ?? -1 };
}

async function manualFile(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('date,weight_kg,body_fat_pct,note\n');
  for (let i = 0; i < lines; i++) {
    const day = new Date(Date.UTC(2015, 0, 1) + i * 3_600_000).toISOString();
    if (!out.write(`${day},${(70 + (i % 100) / 10).toFixed(1)},${(18 + (i % 50) / 10).toFixed(1)},entry ${i}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function runStartupBench(o: { url?: string; log: (m: string) => void }): Promise<StartupFigures> {
  const home = mkdtempSync(join(tmpdir(), 'bronze-startup-'));
  const embedded = { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: '', BRONZE_HOME: home, LOG_LEVEL: 'warn' };
  const measures: StartupFigures['measures'] = [];
  try {
    copyFileSync(join(ROOT, 'examples/weights.csv'), join(home, 'weights.csv'));
    o.log('README command 1 on a fresh data folder (embedded database)');
    measures.push(measure('README command 1: ingest manual --file examples/weights.csv, fresh data folder', ['ingest', 'manual', '--file', join(home, 'weights.csv')], embedded, home));
    o.log('bronze status, embedded database');
    for (let i = 0; i < 3; i++) measures.push(measure('bronze status, embedded database', ['status'], embedded, home));
    if (o.url) {
      o.log('bronze status, PostgreSQL');
      const pgEnv = { ...process.env, DATABASE_URL: o.url, BRONZE_HOME: home, LOG_LEVEL: 'warn' };
      measures.push(measure('bronze db migrate, PostgreSQL (untimed set-up)', ['db', 'migrate'], pgEnv, home));
      for (let i = 0; i < 3; i++) measures.push(measure('bronze status, PostgreSQL', ['status'], pgEnv, home));
    }
    o.log('100,000-line manual import, embedded database');
    await manualFile(join(home, 'big.csv'), 100_000);
    measures.push(measure('ingest manual --file big.csv (100,000 lines), embedded database', ['ingest', 'manual', '--file', join(home, 'big.csv')], embedded, home));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return { measures, date: new Date().toISOString() };
}

export function formatStartupReport(f: StartupFigures): string {
  return [
    '| measure | seconds | peak RSS MB | exit |',
    '|---|---|---|---|',
    ...f.measures.map((m) => `| ${m.name} | ${m.seconds.toFixed(2)} | ${m.peak_rss_mb.toFixed(0)} | ${m.exit} |`),
  ].join('\n');
}
