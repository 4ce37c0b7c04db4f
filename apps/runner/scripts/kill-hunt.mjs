// kill -9 (or Ctrl-C, SIGTERM) at random moments of imports, then plain re-runs: the table must
// equal one clean run's. A maintainer's check of the crash promise (docs/file-imports.md,
// "Crashes and signals at any moment"), beside the tests' fixed kill points: it lands anywhere,
// in the read, the month index builds, the attaches, the run's end, the embedded database's
// start. Runs the built CLI (build first).
//   node apps/runner/scripts/kill-hunt.mjs --engine postgres|pglite [--source manual|apple-health|toggl] [--signal KILL|INT|TERM] [--via node|pnpm] [--rounds 12] [--records 30000]
// PostgreSQL: a new database per round on DATABASE_URL's server (default: 127.0.0.1:5432, user postgres).
// Each round either kills the first import of a file (its months new: the bulk path) or, after
// a clean first import, kills the import of a later export (manual: a JSON Lines file with a
// seventh of its records changed and a tenth more in new months; apple-health: the generator's
// export.xml and its superset with a tenth more records, later in time; toggl: a generated account
// served as Toggl's APIs answer (toggl-account.mjs), its history read by windows and report pages,
// then its later edits, deletions and new entries by `since`), once or twice; then
// runs it plainly and compares. With --signal INT (a Ctrl-C) or TERM, the signalled process must
// also end by itself within 2 minutes and leave no run `running`. With --via pnpm, each import is
// `pnpm --silent bronze ingest …` in a process group of its own, and the signal goes to the group,
// as a terminal's Ctrl-C does (pnpm and node both get it). Exit 1 on a mismatch.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '@bronze/core';
import { generateExport } from '@bronze/source-apple-health';
import { startTogglAccount, TOKEN as TOGGL_TOKEN } from './toggl-account.mjs';

const { values: opts } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    source: { type: 'string', default: 'manual' },
    signal: { type: 'string', default: 'KILL' },
    via: { type: 'string', default: 'node' },
    rounds: { type: 'string', default: '12' },
    records: { type: 'string' },
  },
});
const engine = opts.engine;
if (engine !== 'postgres' && engine !== 'pglite') throw new Error('--engine postgres|pglite');
if (!['manual', 'apple-health', 'toggl'].includes(opts.source)) throw new Error('--source manual|apple-health|toggl');
const TABLE = `bronze_${opts.source.replace('-', '_')}`;
if (!['KILL', 'INT', 'TERM'].includes(opts.signal)) throw new Error('--signal KILL|INT|TERM');
const SIGNAL = `SIG${opts.signal}`;
if (opts.via !== 'node' && opts.via !== 'pnpm') throw new Error('--via node|pnpm');
const REPO = new URL('../../..', import.meta.url).pathname;
/** How long a process may take to end after SIGINT or SIGTERM (it commits its batch, indexes new months). */
const STOP_MS = 120_000;
// Toggl's runs ask ~1 request a second (its rate limit): 1,200 entries are 43 requests, ~41 s.
const N = Number(opts.records ?? (opts.source === 'toggl' ? 1200 : 30000));
const SERVER = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
// The flags `pnpm bronze` starts node with (the root package.json's bronze script).
const NODE_FLAGS = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).scripts.bronze.split(/\s+/).filter((w) => w.startsWith('--'));
const work = mkdtempSync(join(tmpdir(), 'bronze-kill-hunt-'));

/** v1 and v2 under the same name (manual names the stream after the file): big.jsonl, export.xml. */
async function writeFile(version) {
  if (opts.source === 'toggl') return version; // the account's state, served by toggl-account.mjs
  mkdirSync(join(work, version), { recursive: true });
  if (opts.source === 'apple-health') {
    const path = join(work, version, 'export.xml');
    const out = createWriteStream(path);
    const records = version === 'v1' ? N : N + Math.floor(N / 10);
    for await (const chunk of generateExport({ records, baseRecords: N, months: 24 })) if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    await new Promise((r) => out.end(r));
    return path;
  }
  const path = join(work, version, 'big.jsonl');
  const out = createWriteStream(path);
  // v2: every 7th record changed, N/10 records more, their days past v1's (new months).
  const count = version === 'v1' ? N : N + Math.floor(N / 10);
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(2021, 0, 1) + (i < N ? i % 1000 : 1000 + (i % 200)) * 86_400_000).toISOString();
    const value = version === 'v2' && i % 7 === 0 ? -i : (i * 7919) % 1000;
    if (!out.write(`${JSON.stringify({ id: i, ts: day, value, note: `entry ${i}` })}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return path;
}

async function project(tag) {
  const root = mkdtempSync(join(work, `${tag}-`));
  const removeRoot = () => rmSync(root, { recursive: true, force: true });
  if (engine === 'pglite') return { env: { BRONZE_HOME: root }, open: () => openDatabase({ dataDir: join(root, 'data', 'bronze') }), drop: removeRoot };
  const name = `bronze_kill_hunt_${tag}_${Math.random().toString(16).slice(2, 8)}`;
  const admin = async (sql) => {
    const c = new pg.Client({ connectionString: SERVER });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return { env: { BRONZE_HOME: root, DATABASE_URL: url.toString() }, open: () => openDatabase({ url: url.toString() }), drop: async () => (await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), removeRoot()) };
}

/** `bronze ingest <source> --file …`, sent SIGNAL after signalAfterMs when given (SIGKILL if it has not ended STOP_MS later: `hung`). */
function ingest(p, file, signalAfterMs) {
  const args = opts.source === 'toggl' ? ['ingest', 'toggl', '--batch-size', '20'] : ['ingest', opts.source, '--file', file, '--batch-size', '2000'];
  const env = { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: '', LOG_LEVEL: 'info', ...p.env, ...togglEnv };
  if (toggl) toggl.version = file;
  const child = opts.via === 'pnpm'
    ? spawn('pnpm', ['--silent', 'bronze', ...args], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true })
    : spawn(process.execPath, [...NODE_FLAGS, CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const send = (sig) => {
    if (opts.via === 'node') return child.kill(sig);
    try {
      process.kill(-child.pid, sig);
    } catch (err) {
      if (err.code !== 'ESRCH') throw err; // the group has ended
    }
  };
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const started = performance.now();
  let hung = false;
  let stopTimer;
  const timer = signalAfterMs === undefined ? undefined : setTimeout(() => {
    send(SIGNAL);
    stopTimer = setTimeout(() => ((hung = true), send('SIGKILL')), STOP_MS);
  }, signalAfterMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(stopTimer);
      resolve({ code, signal, hung, ms: performance.now() - started, stderr });
    }),
  );
}

/** What must equal one clean run's: every row (hash of all), _latest, no stage left, every index valid. */
async function tableState(p) {
  const db = await p.open();
  try {
    return await db.withSession(async (s) => {
      const one = async (sql) => (await s.query(sql))[0];
      const rows = await one(`SELECT count(*)::int AS n, md5(string_agg(concat_ws('|', stream, raw_id, version, record_hash, raw_data::text, validation_status, source_timestamp), E'\\n' ORDER BY stream, raw_id, version)) AS hash FROM ${TABLE}`);
      const latest = await one(`SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} b WHERE (b.stream, b.raw_id, b.version, b.record_hash) = (l.stream, l.raw_id, l.version, l.record_hash)))::int AS unmatched FROM ${TABLE}_latest l`);
      const stages = await one(`SELECT count(*)::int AS n FROM pg_class WHERE starts_with(relname, '${TABLE}_bulk_') AND relkind = 'r'`);
      const invalid = await one(`SELECT count(*)::int AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE starts_with(c.relname, '${TABLE}') AND NOT i.indisvalid`);
      const indexes = await one(`SELECT count(*)::int AS n FROM pg_inherits h JOIN pg_index i ON i.indrelid = h.inhrelid WHERE h.inhparent = '${TABLE}'::regclass`);
      return { rows: rows.n, hash: rows.hash, latest: latest.n, unmatchedLatest: latest.unmatched, stages: stages.n, invalidIndexes: invalid.n, partitionIndexes: indexes.n };
    });
  } finally {
    await db.close();
  }
}

/** Runs a signalled process left `running` (bronze_runs; none before the database was made). */
async function runsLeftRunning(p) {
  const db = await p.open();
  try {
    return await db.withSession(async (s) => {
      const [{ present }] = await s.query(`SELECT to_regclass('bronze_runs') IS NOT NULL AS present`);
      if (!present) return 0;
      return (await s.query(`SELECT count(*)::int AS n FROM bronze_runs WHERE status = 'running'`))[0].n;
    });
  } finally {
    await db.close();
  }
}

// pnpm's first `bronze` of a checkout may build the CLI: not in the clean run's time, which spreads the signals.
if (opts.via === 'pnpm') spawnSync('pnpm', ['--silent', 'bronze', '--help'], { cwd: REPO, stdio: 'ignore' });
const started = Date.now();
const toggl = opts.source === 'toggl' ? await startTogglAccount({ count: N, from: Date.UTC(2024, 5, 1), to: started - 3 * 86_400_000, editedAt: started + 86_400_000 }) : undefined;
const togglEnv = toggl ? { TOGGL_API_TOKEN: TOGGL_TOKEN, TOGGL_BASE_URL: toggl.url, TOGGL_START_DATE: toggl.firstDay, TOGGL_WINDOW_DAYS: '90' } : {};
const v1 = await writeFile('v1');
const v2 = await writeFile('v2');
const clean = await project('clean');
const first = await ingest(clean, v1);
const afterV1 = await tableState(clean);
const second = await ingest(clean, v2);
if (first.code !== 0 || second.code !== 0) throw new Error(`the clean runs failed:\n${first.stderr}\n${second.stderr}`);
const want = { first: afterV1, later: await tableState(clean) };
await clean.drop();
console.log(`clean: first import ${(first.ms / 1000).toFixed(1)} s, later export ${(second.ms / 1000).toFixed(1)} s; ${JSON.stringify({ ...want.later, hash: undefined })}`);

let mismatches = 0;
for (let round = 0; round < Number(opts.rounds); round++) {
  const phase = round % 2 ? 'later' : 'first';
  const p = await project(`r${round}`);
  if (phase === 'later' && (await ingest(p, v1)).code !== 0) throw new Error('the first import failed');
  const file = phase === 'first' ? v1 : v2;
  const span = phase === 'first' ? first.ms : second.ms;
  const kills = [];
  const problems = [];
  for (let k = 0; k < (Math.random() < 0.4 ? 2 : 1); k++) {
    const at = Math.round(Math.random() * span * 1.05);
    const r = await ingest(p, file, at);
    kills.push(`at ${at} ms: ${r.signal ?? `exit ${r.code}`}${SIGNAL === 'SIGKILL' ? '' : ` after ${Math.round(r.ms)} ms`}`);
    if (r.hung) problems.push(`not ended ${STOP_MS / 1000} s after ${SIGNAL}`);
    else if (SIGNAL !== 'SIGKILL') {
      const left = await runsLeftRunning(p);
      if (left) problems.push(`${SIGNAL} left ${left} run(s) running`);
    }
  }
  const final = await ingest(p, file);
  const got = await tableState(p);
  const expected = want[phase];
  const ok = !problems.length && final.code === 0 && Object.keys(expected).every((k) => got[k] === expected[k]);
  console.log(`${ok ? 'ok ' : 'MISMATCH'} round ${round} (${phase}): ${kills.join(', ')}; re-run exit ${final.code}${ok ? '' : `\n  ${problems.join('; ')}\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(expected)}\n${final.stderr.slice(-1500)}`}`);
  if (ok) await p.drop();
  else mismatches++;
}
console.log(`${mismatches} mismatch(es) in ${opts.rounds} rounds (${engine}, ${opts.source}, ${SIGNAL} via ${opts.via}, ${N} records)${mismatches ? `; databases of those rounds kept, files in ${work}` : ''}`);
if (!mismatches) rmSync(work, { recursive: true, force: true });
await toggl?.close();
process.exit(mismatches ? 1 : 0);
