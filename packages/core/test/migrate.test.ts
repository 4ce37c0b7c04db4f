import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { migrate } from '../src/index.js';
import { migrations } from '../src/db/migrations.generated.js';
// @ts-expect-error plain .mjs build script without types
import { renderMigrations } from '../scripts/embed-sql.mjs';

describe('embedded migrations', () => {
  it('match sql/ (run `pnpm --filter @bronze/core build` after editing sql/)', () => {
    const current = readFileSync(new URL('../src/db/migrations.generated.ts', import.meta.url), 'utf8');
    expect(current).toBe(renderMigrations());
    expect(migrations.map((m) => m.name)).toEqual([...migrations.map((m) => m.name)].sort());
  });
});

describeEachEngine('migrate', (db) => {
  it('is safe to re-run: the second run applies nothing', async () => {
    const again = await db().withSession((s) => migrate(s));
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(migrations.map((m) => m.name));
  });

  it('refuses an applied migration whose text changed', async () => {
    const changed = migrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    await expect(db().withSession((s) => migrate(s, changed))).rejects.toThrow(/001_meta.sql was changed/);
  });

  it('creates a source table whose indexes carry its name, twice without error', async () => {
    await db().withSession(async (s) => {
      await s.query(`SELECT bronze_ensure_source_table('alpha')`);
      await s.query(`SELECT bronze_ensure_source_table('alpha')`);
      await s.query(`SELECT bronze_ensure_source_table('beta')`);
      const idx = await s.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename IN ('bronze_alpha', 'bronze_beta')`);
      expect(idx.length).toBeGreaterThan(10);
      for (const i of idx) expect(i.indexname).toMatch(/^bronze_(alpha|beta)_/);
    });
    await expect(db().withSession((s) => s.query(`SELECT bronze_ensure_source_table('Bad-Name')`))).rejects.toThrow(/invalid source name/);
  });
});
