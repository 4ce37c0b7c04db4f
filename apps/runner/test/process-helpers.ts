import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type BronzeDatabase } from '@bronze/core';
import type { Engine } from '@bronze/testkit';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const RUNNER_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url));

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** For afterEach: ends every child a test started (and its process group), so a failing test leaves none behind. */
export function killChildren(): void {
  for (const c of running) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      c.kill('SIGKILL');
    }
  }
  running.clear();
}

function track(child: ChildProcess): Spawned {
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/**
 * `pnpm --silent bronze …` exactly as a user types it (pnpm, then node), in a process group
 * of its own: signal it with process.kill(-child.pid, 'SIGINT'), as a terminal's Ctrl-C does.
 */
export function pnpmBronze(args: string[], env: Record<string, string>): Spawned {
  return track(
    spawn('pnpm', ['--silent', 'bronze', ...args], {
      cwd: REPO_DIR,
      env: { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
  );
}

/** `bronze …` as a real child process (tsx on the sources), in a project root of its own. */
export function bronze(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    cwd: RUNNER_DIR,
    env: { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child);
}

/** A project folder (BRONZE_HOME) and a database for child processes: PGlite dir or a new server DB. */
export async function project(engine: Engine): Promise<{ root: string; env: Record<string, string>; open(): Promise<BronzeDatabase>; drop(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'bronze-cli-'));
  if (engine === 'pglite') {
    const dataDir = join(root, 'data', 'bronze');
    return { root, env: { BRONZE_HOME: root }, open: () => openDatabase({ dataDir }), drop: async () => undefined };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `bronze_cli_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    root,
    env: { BRONZE_HOME: root, DATABASE_URL: url.toString() },
    open: () => openDatabase({ url: url.toString() }),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A JSON Lines file of n records over several years (ids, dates, a little text). */
export async function bigJsonl(dir: string, n: number, name = 'big.jsonl'): Promise<string> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2021, 0, 1) + (i % 1000) * 86_400_000).toISOString();
    const line = JSON.stringify({ id: i, ts: day, value: (i * 7919) % 1000, note: `entry ${i}` }) + '\n';
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return path;
}

export function writeEnv(root: string, text: string): void {
  writeFileSync(join(root, '.env'), text);
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
