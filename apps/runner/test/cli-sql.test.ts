import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEngines } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_DIR, runBronze } from './cli-helpers.js';
import { FIXTURES } from './helpers.js';
import { project } from './process-helpers.js';

for (const engine of testEngines()) {
  describe(`bronze sql [${engine}]`, () => {
    it('prints a table (or JSON), is read-only unless --write, and runs piped statements', async () => {
      const p = await project(engine);
      try {
        const imported = await runBronze(['ingest', 'manual', '--id-field', 'date', '--file', join(FIXTURES, 'weights.csv')], p.env);
        expect(imported.code, imported.stderr).toBe(0);
        const n = Number(/inserted (\d+)/.exec(imported.stdout)![1]);

        const q = await runBronze(['sql', "SELECT stream, count(*) AS rows, 'x' AS \"x\" FROM bronze_manual GROUP BY stream"], p.env);
        expect(q.code, q.stderr).toBe(0);
        expect(q.stdout).toBe(`stream   rows  x\n-------  ----  -\nweights  ${String(n).padEnd(4)}  x\n(1 row)\n`);

        const json = await runBronze(['sql', '--json', 'SELECT raw_id FROM bronze_manual ORDER BY raw_id LIMIT 2'], p.env);
        expect(JSON.parse(json.stdout)).toEqual([{ raw_id: expect.any(String) }, { raw_id: expect.any(String) }]);

        // raw_data as stored, never through a JavaScript number (1.10, 1e400, a 23-digit integer).
        const exact = join(p.root, 'exact.jsonl');
        writeFileSync(exact, '{"id": "a", "x": 1.10, "e": 1e400, "big": 12345678901234567890123, "p": 0.1000000000000000055511151231257827}\n');
        expect((await runBronze(['ingest', 'manual', '--file', exact], p.env)).code).toBe(0);
        const jsonb = `SELECT raw_data->'x' AS x, raw_data->'big' AS big, raw_data->'p' AS p, raw_data->'e' AS e FROM bronze_manual WHERE stream = 'exact'`;
        const shown = await runBronze(['sql', jsonb], p.env);
        expect(shown.stdout.split('\n')[2].split(/\s+/)).toEqual(['1.10', '12345678901234567890123', '0.1000000000000000055511151231257827', `1${'0'.repeat(400)}`]);
        const asJson = await runBronze(['sql', '--json', `SELECT raw_data FROM bronze_manual WHERE stream = 'exact'`], p.env);
        expect(asJson.stdout).toContain('"x": 1.10');
        expect(asJson.stdout).toContain('"big": 12345678901234567890123');

        const refused = await runBronze(['sql', 'DELETE FROM bronze_manual'], p.env);
        expect(refused.code).toBe(1);
        expect(refused.stderr.trim()).toBe('error: cannot execute DELETE in a read-only transaction (bronze sql is read-only; add --write to change data)');
        const sneaky = await runBronze(['sql', 'COMMIT; CREATE TABLE sneaky (x int)'], p.env);
        expect(sneaky.code).toBe(1);

        const written = await runBronze(['sql', '--write', 'CREATE TABLE notes (x int); INSERT INTO notes VALUES (1), (2)'], p.env);
        expect(written.code, written.stderr).toBe(0);

        const piped = await runBronze(['sql'], p.env, { input: 'SELECT count(*) AS notes FROM notes;\nSELECT to_regclass(\'sneaky\') IS NULL AS no_sneaky;\n' });
        expect(piped.code, piped.stderr).toBe(0);
        expect(piped.stdout).toBe('notes\n-----\n2\n(1 row)\nno_sneaky\n---------\ntrue\n(1 row)\n');
      } finally {
        await p.drop();
      }
    }, 600_000);
  });
}

describe('bronze sql on a terminal', () => {
  it('prompts, runs each statement ended by ;, keeps going after an error, and quits on \\q', async () => {
    const p = await project('pglite');
    // util-linux `script` runs the CLI on a pseudo-terminal and types what it reads on its stdin.
    const command = `${process.execPath} --conditions=source --import tsx ${CLI} sql`;
    const out = execFileSync('script', ['-qec', command, '/dev/null'], {
      cwd: REPO_DIR, encoding: 'utf8', input: 'SELECT 1 +\n1 AS two;\nSELECT nope;\n\\q\n',
      env: { ...process.env, ...p.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: '' }, timeout: 300_000,
    });
    expect(out).toContain('bronze=> ');
    expect(out).toMatch(/two\r?\n---\r?\n2\r?\n\(1 row\)/);
    expect(out).toContain('error: column "nope" does not exist');
  }, 600_000);
});
