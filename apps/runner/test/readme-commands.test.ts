import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './cli-helpers.js';

/** `pnpm … ingest … --file …` lines of the sh blocks in README.md and packages/*\/README.md, typed at the repository root. */
function ingestCommands(): { readme: string; command: string; files: string[] }[] {
  const readmes = ['README.md', ...readdirSync(join(REPO_DIR, 'packages')).map((p) => `packages/${p}/README.md`)].filter((r) => existsSync(join(REPO_DIR, r)));
  const out: { readme: string; command: string; files: string[] }[] = [];
  for (const readme of readmes) {
    const blocks = readFileSync(join(REPO_DIR, readme), 'utf8').match(/```sh\n[\s\S]*?```/g) ?? [];
    for (const line of blocks.flatMap((b) => b.split('\n'))) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (!/^pnpm .*\bingest\b.*--file /.test(command)) continue;
      const words = command.split(/\s+/);
      const files = words.slice(words.indexOf('--file') + 1).filter((w, i, all) => !all.slice(0, i + 1).some((x) => x.startsWith('-')));
      out.push({ readme, command, files });
    }
  }
  return out;
}

/** A placeholder for the reader's own file (~/Downloads/…, ./apple_health_export/…), not a file of this repository. */
const placeholder = (f: string) => f.startsWith('~') || f.startsWith('./apple_health_export/') || /[<…]/.test(f);

describe('the ingest commands in the READMEs', () => {
  const commands = ingestCommands();

  it('name files that exist from the repository root, where they are typed', () => {
    expect(commands.length).toBeGreaterThan(4);
    const missing = commands.flatMap((c) => c.files.filter((f) => !placeholder(f) && !existsSync(join(REPO_DIR, f))).map((f) => `${c.readme}: ${c.command} (${f})`));
    expect(missing).toEqual([]);
  });

  it('run as written: each source package\'s ingest script, from the repository root', () => {
    const runnable = commands.filter((c) => c.command.startsWith('pnpm --filter ') && c.files.every((f) => !placeholder(f)));
    expect(runnable.map((c) => c.command)).toContain('pnpm --filter source-manual ingest -- --file examples/weights.csv');
    for (const c of runnable) {
      const home = mkdtempSync(join(tmpdir(), 'bronze-readme-'));
      const env = { ...process.env, BRONZE_HOME: home, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: '', INIT_CWD: '' };
      const r = spawnSync('sh', ['-c', c.command], { cwd: REPO_DIR, env, encoding: 'utf8', timeout: 300_000 });
      expect(r.status, `${c.command}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/: (dry run )?succeeded/);
    }
  }, 600_000);
});
