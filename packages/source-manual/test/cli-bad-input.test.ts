import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type BronzeDatabase } from '@bronze/core';
import { createTestDatabase, tableSnapshot, testEngines, type TestDatabase } from '@bronze/testkit';

const PACKAGE_DIR = join(import.meta.dirname, '..');
const TSX_LOADER = join(PACKAGE_DIR, '../../node_modules/tsx/dist/loader.mjs');

/** `pnpm --filter source-manual ingest -- …`'s entry, as a child process. */
function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', TSX_LOADER, '../../apps/runner/src/cli.ts', 'ingest', 'manual', ...args], {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 240_000,
  });
  // Logs are JSON lines on stderr when it is not a terminal; what the user is told starts with "error: ".
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim(), said: r.stderr.split('\n').filter((l) => l.startsWith('error: ')) };
}

describe.each(testEngines())('bad input through the CLI [%s]', (engine) => {
  it('one clear line naming the file or flag and what to pass, exit 1 or 2, nothing stored changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bronze-manual-cli-'));
    const write = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    let server: TestDatabase | undefined;
    let db: BronzeDatabase | undefined;
    try {
      const env: Record<string, string> = { BRONZE_HOME: dir };
      if (engine === 'postgres') {
        server = await createTestDatabase('postgres');
        Object.assign(env, server.env);
      }
      const good = write('bank.csv', 'Datum;Betrag\n01.01.2025;-13,98\n02.01.2025;5,00\n');
      const ok = cli(['--file', good], env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/inserted 2 .*bank\.csv: source_timestamp from Datum/);
      const snapshot = async () => {
        db = server ?? (await openDatabase({ dataDir: join(dir, 'data', 'bronze') }));
        const rows = await tableSnapshot(db, 'manual');
        if (!server) await db.close();
        db = undefined;
        return rows;
      };
      const before = await snapshot();
      expect(before).toHaveLength(2);

      const flat = write('notes.csv', 'just some text\nand more text\n');
      const noDelimiter = cli(['--file', flat], env);
      expect(noDelimiter.code).toBe(1);
      expect(noDelimiter.said).toEqual([expect.stringMatching(new RegExp(`^error: ${flat}: no delimiter found: .* pass --delimiter`))]);

      const encoding = cli(['--file', good, '--force', '--encoding', 'klingon'], env);
      expect(encoding.code).toBe(2);
      expect(encoding.said).toEqual([expect.stringMatching(/^error: --encoding "klingon" is not an encoding this reader knows; pass one of utf-8, windows-1252/)]);

      const isoDates = write('iso.csv', 'Datum;Betrag\n2025-01-01;1\n2025-01-02;2\n');
      const format = cli(['--file', isoDates, '--date-format', 'DD.MM.YYYY'], env);
      expect(format.code).toBe(1);
      expect(format.said).toEqual([
        expect.stringMatching(new RegExp(`^error: ${isoDates}: --date-format DD.MM.YYYY matches no value in the first 2 rows \\(e.g. Datum: "2025-01-01"\\); pass the format the dates are written in`)),
      ]);

      const pattern = cli(['--file', good, '--force', '--date-format', 'banana'], env);
      expect(pattern.code).toBe(2);
      expect(pattern.said).toEqual([expect.stringMatching(/^error: --date-format "banana" needs YYYY \(or YY\), MM and DD/)]);

      const delimiter = cli(['--file', good, '--force', '--delimiter', ';;'], env);
      expect(delimiter.code).toBe(2);
      expect(delimiter.said).toEqual([expect.stringMatching(/^error: --delimiter ";;" must be one character/)]);

      expect(await snapshot()).toEqual(before);
    } finally {
      await db?.close();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
