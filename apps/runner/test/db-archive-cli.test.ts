import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableSnapshot, testEngines, type Engine } from '@bronze/testkit';
import type { BronzeDatabase } from '@bronze/core';
import { FIXTURES } from './helpers.js';
import { bigJsonl, bronze, project, waitFor } from './process-helpers.js';
import { runBronze } from './cli-helpers.js';

const N = 20_000;
type Project = Awaited<ReturnType<typeof project>>;
// Data rows of the real CSV fixture, counted from the file itself.
const CSV_ROWS = readFileSync(join(FIXTURES, 'weights.csv'), 'utf8').trim().split('\n').length - 1;

/** Everything compared after a move: the source tables and every meta table, values as text. */
async function everything(p: Project) {
  const db: BronzeDatabase = await p.open();
  try {
    return await db.withSession(async (s) => ({
      manual: await tableSnapshot(db, 'manual'),
      rows: await s.query(`SELECT id::text, raw_data::text, pipeline_run_id::text, lineage_id::text, file_hash FROM bronze_manual ORDER BY id`),
      latest: await s.query(`SELECT stream, raw_id, version, record_hash FROM bronze_manual_latest ORDER BY stream, raw_id COLLATE "C"`),
      runs: await s.query(`SELECT id::text, source, action, status, records_inserted::text, parameters::text FROM bronze_runs ORDER BY id`),
      state: await s.query(`SELECT source, stream, cursor::text, run_id::text FROM bronze_state ORDER BY 1, 2`),
      files: await s.query(`SELECT source, sha256, size::text, status, records::text, run_id::text FROM bronze_files ORDER BY 2`),
    }));
  } finally {
    await db.close();
  }
}

/** A project holding a real CSV import and a generated JSON Lines import of N records. */
async function filled(engine: Engine, n = N): Promise<Project> {
  const p = await project(engine);
  const jsonl = await bigJsonl(p.root, n);
  for (const args of [['--file', join(FIXTURES, 'weights.csv'), '--id-field', 'date'], ['--file', jsonl, '--id-field', 'id']]) {
    const run = bronze(['ingest', 'manual', ...args], p.env);
    expect(await run.exit, run.stderr()).toBe(0);
  }
  return p;
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('{'));
  expect(lines).toHaveLength(1);
  return lines[0];
}

const engines = testEngines();
const other = (e: Engine): Engine => (engines.length > 1 ? (e === 'pglite' ? 'postgres' : 'pglite') : e);

for (const engine of engines) {
  describe(`bronze db export/import/copy as processes [${engine} → ${other(engine)}]`, () => {
    it('export then import into the other engine gives the same tables; a kill -9 mid-import leaves the target empty and a re-run completes', async () => {
      const from = await filled(engine);
      const to = await project(other(engine));
      try {
        const archive = join(from.root, 'archive');
        const exp = bronze(['db', 'export', archive], from.env);
        expect(await exp.exit, exp.stderr()).toBe(0);
        expect(exp.stderr()).toMatch(/exporting bronze_manual \(\d+\/\d+\): [\d,]+ rows, done/);
        const expected = await everything(from);
        expect(expected.manual.length).toBe(N + CSV_ROWS);

        const victim = bronze(['db', 'import', archive], to.env);
        // bronze_manual is the big table: kill while it is being loaded or verified.
        await waitFor(() => /importing bronze_manual \(/.test(victim.stderr()) || victim.child.exitCode !== null, 'the import to reach bronze_manual');
        victim.child.kill('SIGKILL');
        expect(await victim.exit).toBeNull(); // killed, not finished
        const [{ n }] = await (async () => {
          const db = await to.open();
          try {
            return await db.withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_runs`));
          } finally {
            await db.close();
          }
        })();
        expect(n).toBe(0);

        const again = bronze(['db', 'import', archive], to.env);
        expect(await again.exit, again.stderr()).toBe(0);
        expect(again.stdout()).toMatch(/verified/);
        expect(await everything(to)).toEqual(expected);

        const merge = bronze(['db', 'import', archive, '--merge'], to.env);
        expect(await merge.exit, merge.stderr()).toBe(0);
        expect(merge.stdout()).toMatch(/, 0 added,/);

        const refused = bronze(['db', 'import', archive], to.env);
        expect(await refused.exit).toBe(2);
        expect(oneErrorLine(refused.stderr())).toMatch(/^error: .* already holds bronze data .*--merge/);
        expect(await everything(to)).toEqual(expected);
      } finally {
        await from.drop();
        await to.drop();
      }
    }, 900_000);
  });
}

describe('bronze db copy', () => {
  it.runIf(engines.includes('postgres'))('moves the embedded database to PostgreSQL in one command, verified', async () => {
    const from = await filled('pglite');
    const to = await project('postgres');
    try {
      const copy = bronze(['db', 'copy', '--to', to.env.DATABASE_URL], from.env);
      expect(await copy.exit, copy.stderr()).toBe(0);
      expect(copy.stdout()).toMatch(/^copied .* verified/m);
      expect(await everything(to)).toEqual(await everything(from));
    } finally {
      await from.drop();
      await to.drop();
    }
  }, 900_000);

  it('a --to URL that cannot be reached: one line, exit 1, nothing changed', async () => {
    const from = await project('pglite');
    const copy = bronze(['db', 'copy', '--to', 'postgres://bronze:secret-pass@127.0.0.1:9/nowhere'], from.env);
    expect(await copy.exit).toBe(1);
    const line = oneErrorLine(copy.stderr());
    expect(line).toMatch(/^error: cannot connect to PostgreSQL at postgres:\/\/bronze:\*+@127\.0\.0\.1:9\/nowhere/);
    expect(line).not.toContain('secret-pass');
  }, 120_000);
});

describe('bronze db prune', () => {
  it('dry-run lists, no flag refuses, --yes removes and logs; a future date is refused', async () => {
    const n = 3000;
    const p = await filled('pglite', n);
    try {
      const before = await everything(p);
      const dry = bronze(['db', 'prune', '--source', 'manual', '--before', '2022-01-01', '--dry-run'], p.env);
      expect(await dry.exit, dry.stderr()).toBe(0);
      // bigJsonl spreads records over 1000 days from 2021-01-01: 2021's 12 months are whole.
      expect(dry.stdout()).toMatch(/would remove 12 month partition\(s\) before 2022-01-01: \d+ rows/);
      const bare = bronze(['db', 'prune', '--source', 'manual', '--before', '2022-01-01'], p.env);
      expect(await bare.exit).toBe(2);
      expect(bare.stderr()).toMatch(/^error: nothing removed: add --yes/m);
      const future = bronze(['db', 'prune', '--source', 'manual', '--before', '2999-01-01', '--yes'], p.env);
      expect(await future.exit).toBe(2);
      expect(oneErrorLine(future.stderr())).toMatch(/^error: --before 2999-01-01 is in the future/);
      expect(await everything(p)).toEqual(before);

      const yes = bronze(['db', 'prune', '--source', 'manual', '--before', '2022-01-01', '--yes'], p.env);
      expect(await yes.exit, yes.stderr()).toBe(0);
      const removed = Number(/removed 12 partition\(s\), (\d+) rows/.exec(yes.stdout())?.[1]);
      // Counted independently: the generated records dated in 2021.
      const in2021 = Array.from({ length: n }, (_, i) => i % 1000).filter((d) => d < 365).length;
      expect(removed).toBe(in2021);
      const after = await everything(p);
      expect(after.manual.length).toBe(before.manual.length - in2021);
      expect(after.runs.filter((r) => (r as { action: string }).action === 'prune')).toHaveLength(1);
    } finally {
      await p.drop();
    }
  }, 600_000);
});

describe('bronze db import of a folder that is no archive', () => {
  it('is refused before the database is opened: no embedded data folder is left behind', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bronze-import-refused-'));
    const notArchive = mkdtempSync(join(tmpdir(), 'bronze-not-archive-'));
    const r = await runBronze(['db', 'import', notArchive], { BRONZE_HOME: home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${notArchive}: not a complete bronze archive (no manifest.json`);
    expect(existsSync(join(home, 'data'))).toBe(false);
  });
});
