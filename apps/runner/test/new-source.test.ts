import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../scripts/new-source.js';
import { generateSource, ScaffoldError, type SourceKind } from '../scripts/new-source/generate.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A workspace with what the generator reads and edits: the runner's registry and package.json. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'bronze-new-source-'));
  temps.push(root);
  for (const f of ['tsconfig.base.json', 'apps/runner/src/sources.ts', 'apps/runner/package.json']) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    copyFileSync(join(REPO, f), join(root, f));
  }
  mkdirSync(join(root, 'packages'));
  return root;
}

const read = (root: string, f: string) => readFileSync(join(root, f), 'utf8');
const json = (root: string, f: string) => JSON.parse(read(root, f));

/** One tsc over the generated packages (core typechecked once), their @bronze packages linked to this repository's. */
function typecheck(root: string, dirs: string[]): { status: number | null; output: string } {
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const dir of dirs) {
    mkdirSync(join(root, dir, 'node_modules/@bronze'), { recursive: true });
    for (const p of ['core', 'testkit']) symlinkSync(join(REPO, 'packages', p), join(root, dir, 'node_modules/@bronze', p), 'dir');
  }
  const include = dirs.flatMap((d) => json(root, `${d}/tsconfig.json`).include.map((i: string) => `${d}/${i}`));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { customConditions: ['source'] }, include }));
  const r = spawnSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const API_FILES = ['README.md', 'package.json', 'src/config.ts', 'src/index.ts', 'src/streams/items.ts', 'test/check.test.ts', 'test/conformance.test.ts', 'test/fixtures/README.md', 'test/fixtures/items.json', 'test/fixtures/me.json', 'test/fixtures/scenario.json', 'test/items.test.ts', 'test/scenario.ts', 'tsconfig.json', 'tsup.config.ts', 'vitest.config.ts'];
const FILES_FILES = ['README.md', 'package.json', 'src/config.ts', 'src/index.ts', 'src/read-file.ts', 'src/streams/entries.ts', 'test/conformance.test.ts', 'test/fixtures/README.md', 'test/fixtures/entries.csv', 'test/fixtures/entries.jsonl', 'test/import.test.ts', 'tsconfig.json', 'tsup.config.ts', 'vitest.config.ts'];

describe('pnpm new:source', () => {
  it('--api and --files write packages shaped like source-toggl, that typecheck', () => {
    const root = workspace();
    const generated = (['api', 'files'] as SourceKind[]).map((kind) => {
      const g = generateSource({ root, name: `example-${kind}`, kind });
      expect(g.dir).toBe(`packages/source-example-${kind}`);
      expect(g.files).toEqual(kind === 'api' ? API_FILES : FILES_FILES);
      for (const f of g.files) expect(read(root, join(g.dir, f)), f).not.toMatch(/\{\{\w*\}\}/);

      const pkg = json(root, `${g.dir}/package.json`);
      const toggl = json(REPO, 'packages/source-toggl/package.json');
      expect(pkg.name).toBe(`@bronze/source-example-${kind}`);
      expect(pkg.exports).toEqual(toggl.exports);
      expect(Object.keys(pkg.scripts).sort()).toEqual(Object.keys(toggl.scripts).sort());
      expect(pkg.scripts.ingest).toBe(toggl.scripts.ingest.replace(/ingest toggl$/, `ingest example-${kind}`));
      expect(pkg.bin).toBeUndefined();
      for (const f of ['tsconfig.json', 'vitest.config.ts', 'tsup.config.ts']) expect(read(root, `${g.dir}/${f}`), f).toBe(read(REPO, `packages/source-toggl/${f}`));

      const index = read(root, `${g.dir}/src/index.ts`);
      expect(index).toContain(`name: 'example_${kind}'`);
      if (kind === 'api') {
        expect(index).toContain('bearerAuth(config.token');
        expect(read(root, `${g.dir}/src/streams/items.ts`)).toMatch(/defineApiStream[\s\S]*kind: 'by-field'/);
        expect(read(root, `${g.dir}/test/scenario.ts`)).toContain('EXAMPLE_API_BASE_URL: url');
      } else expect(index).toContain("accepts: '.jsonl, .csv'");
      expect(read(root, `${g.dir}/test/fixtures/README.md`)).toContain('**Placeholders.**');
      return g.dir;
    });

    const tsc = typecheck(root, generated);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
  }, 300_000);

  it('registers the source with the runner, in alphabetical order', () => {
    const root = workspace();
    const before = read(root, 'apps/runner/src/sources.ts');
    const g = generateSource({ root, name: 'fitbit_web', kind: 'api' });
    expect(g.registered).toEqual(['apps/runner/src/sources.ts', 'apps/runner/package.json']);
    const after = read(root, 'apps/runner/src/sources.ts');
    const added = after.split('\n').filter((l) => !before.split('\n').includes(l));
    expect(added).toEqual(["import fitbitWeb from '@bronze/source-fitbit-web';", "  'fitbit-web': fitbitWeb,"]);
    const imports = after.split('\n').filter((l) => l.startsWith('import ') && l.includes('@bronze/source-'));
    expect(imports).toEqual([...imports].sort());
    expect(after.indexOf("  'fitbit-web': fitbitWeb,")).toBeLessThan(after.indexOf('  garmin,'));
    const deps = Object.keys(json(root, 'apps/runner/package.json').dependencies);
    expect(deps).toContain('@bronze/source-fitbit-web');
    expect(deps).toEqual([...deps].sort());

    generateSource({ root, name: 'zeta', kind: 'files' });
    expect(read(root, 'apps/runner/src/sources.ts')).toMatch(/import toggl from '@bronze\/source-toggl';\nimport zeta from '@bronze\/source-zeta';/);
    expect(read(root, 'apps/runner/src/sources.ts')).toMatch(/  toggl,\n  zeta,\n\};/);
  });

  it('refuses an invalid or taken name, and writes nothing', () => {
    const root = workspace();
    const registry = read(root, 'apps/runner/src/sources.ts');
    const refusal = (name: string) => {
      try {
        generateSource({ root, name, kind: 'api' });
      } catch (err) {
        expect(err).toBeInstanceOf(ScaffoldError);
        return (err as Error).message;
      }
      throw new Error(`${name} was accepted`);
    };
    expect(refusal('Strava')).toMatch(/^invalid source name "Strava": use lower-case letters/);
    expect(refusal('2fa')).toMatch(/^invalid source name "2fa"/);
    expect(refusal('a__b')).toMatch(/^invalid source name "a__b"/);
    expect(refusal('state')).toMatch(/bronze_state would collide/);
    expect(refusal('toggl_2024_01')).toMatch(/bronze_toggl_2024_01 would collide/);
    // Registered in the runner, though its folder is elsewhere.
    expect(refusal('apple_health')).toBe("source 'apple-health' is already registered in apps/runner/src/sources.ts: pick another name");
    mkdirSync(join(root, 'packages/source-strava'));
    expect(refusal('strava')).toBe("packages/source-strava already exists: the source name 'strava' is taken (pick another, or remove the folder first)");
    expect(read(root, 'apps/runner/src/sources.ts')).toBe(registry);
    expect(existsSync(join(root, 'packages/source-strava/package.json'))).toBe(false);
  });

  it('a registry it cannot read is left alone, with a message', () => {
    const root = workspace();
    writeFileSync(join(root, 'apps/runner/src/sources.ts'), 'export const sources = loadAll();\n');
    expect(() => generateSource({ root, name: 'strava', kind: 'api' })).toThrow(/is not shaped as expected .* register the source by hand/);
    expect(existsSync(join(root, 'packages/source-strava'))).toBe(false);
  });

  it('arguments: one name, --api (default) or --files', () => {
    expect(parseArgs(['strava'])).toEqual({ name: 'strava', kind: 'api', install: true });
    expect(parseArgs(['takeout', '--files', '--no-install'])).toEqual({ name: 'takeout', kind: 'files', install: false });
    expect(() => parseArgs([])).toThrow(/^name the new source\nusage: pnpm new:source/);
    expect(() => parseArgs(['a', 'b'])).toThrow(/^one name only/);
    expect(() => parseArgs(['a', '--api', '--files'])).toThrow(/^--api or --files, not both/);
    expect(() => parseArgs(['a', '--fils'])).toThrow(/^unknown option --fils/);
  });
});
