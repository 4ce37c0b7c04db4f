import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.js';
import { migrate } from '../src/db/migrate.js';
import { installedPgliteVersion, seedFile } from '../src/db/pglite-seed.js';

const root = mkdtempSync(join(tmpdir(), 'bronze-seed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const identifier = async (dataDir: string, then?: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>) => {
  const db = await openDatabase({ dataDir });
  try {
    const [r] = await db.probe<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
    await then?.(db);
    return r.id;
  } finally {
    await db.close();
  }
};

describe('a new embedded data folder', () => {
  it('the committed seed was made by the PGlite version installed (else: pnpm --filter @bronze/core make-seed)', () => {
    const made = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'seed', 'pglite-seed.json'), 'utf8')).pglite;
    expect(made, 'seed/ is from another PGlite: run `pnpm --filter @bronze/core make-seed` and commit seed/').toBe(installedPgliteVersion());
    expect(seedFile()).toBeDefined();
  });

  it('is unpacked from the committed seed cluster (the same system identifier), works, and keeps its data when reopened', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const first = await identifier(a, async (db) => {
      await db.withSession(async (s) => {
        await migrate(s);
        await s.query(`INSERT INTO bronze_runs (source) VALUES ('seeded')`);
      });
    });
    // initdb draws a new identifier for each cluster: two folders share one only when both were unpacked.
    expect(await identifier(b)).toBe(first);
    const reopened = await identifier(a, async (db) => {
      const [r] = await db.probe<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_runs WHERE source = 'seeded'`);
      expect(r.n).toBe(1);
    });
    expect(reopened).toBe(first);
  }, 60_000);

  it('an unpacking cut short (its marker left, some files written) is done again from the start', async () => {
    const seeded = await identifier(join(root, 'e'));
    const f = join(root, 'f');
    mkdirSync(join(f, 'base'), { recursive: true });
    writeFileSync(join(f, '.bronze-unpacking'), '');
    writeFileSync(join(f, 'PG_VERSION'), 'half');
    expect(await identifier(f)).toBe(seeded);
    expect(existsSync(join(f, '.bronze-unpacking'))).toBe(false);
  }, 60_000);

  it('a folder that is not empty is left to PGlite (initdb: an identifier of its own)', async () => {
    const c = join(root, 'c');
    mkdirSync(c);
    writeFileSync(join(c, 'README.txt'), 'made by hand');
    const seeded = await identifier(join(root, 'd'));
    expect(await identifier(c)).not.toBe(seeded);
  }, 60_000);
});
