// `pnpm new:source <name> [--api|--files]`: writes packages/source-<name>/ (a working package
// with one example stream, its conformance test and fixtures), registers it with the runner,
// then installs the workspace and regenerates configs/validation_schemas/.
// The checklist from here to a merged source: docs/adding-a-source.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateSource, ScaffoldError, type SourceKind } from './new-source/generate.js';

const USAGE = 'usage: pnpm new:source <name> [--api | --files] [--no-install]\n  --api    an API source: one by-field stream, bearer auth, a fixture-server scenario (default)\n  --files  a file source: one stream fed by a JSON Lines / CSV importer, a sample file';

export function parseArgs(argv: string[]): { name: string; kind: SourceKind; install: boolean } {
  const names = argv.filter((a) => !a.startsWith('-'));
  const unknown = argv.filter((a) => a.startsWith('-') && !['--api', '--files', '--no-install'].includes(a));
  if (unknown.length) throw new ScaffoldError(`unknown option ${unknown[0]}\n${USAGE}`);
  if (names.length !== 1) throw new ScaffoldError(`${names.length ? 'one name only' : 'name the new source'}\n${USAGE}`);
  if (argv.includes('--api') && argv.includes('--files')) throw new ScaffoldError(`--api or --files, not both\n${USAGE}`);
  return { name: names[0], kind: argv.includes('--files') ? 'files' : 'api', install: !argv.includes('--no-install') };
}

function step(root: string, what: string, args: string[]): void {
  console.log(`\n$ pnpm ${args.join(' ')}   (${what})`);
  const r = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new ScaffoldError(`'pnpm ${args.join(' ')}' failed (${r.error?.message ?? `exit ${r.status}`}); the package is written: fix that, then run it again`);
}

function main(argv: string[]): number {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  try {
    const args = parseArgs(argv);
    const g = generateSource({ root, name: args.name, kind: args.kind });
    console.log(`wrote ${g.dir}/ (${args.kind} source '${g.names.source}', table bronze_${g.names.source}):`);
    for (const f of g.files) console.log(`  ${f}`);
    console.log(`registered it in ${g.registered.join(' and ')}`);
    if (args.install) {
      step(root, 'link the new package', ['install']);
      step(root, "write its streams' JSON Schemas to configs/validation_schemas", ['--filter', '@bronze/runner', 'schemas']);
    }
    console.log(`\nnext:\n  pnpm --filter ${g.names.pkg} test     # passes as generated (TEST_DATABASE_URL: both engines)\n  pnpm bronze sources                    # lists ${g.names.cli}\n  grep -rn TODO ${g.dir}   # what to replace; the checklist: docs/adding-a-source.md`);
    return 0;
  } catch (err) {
    if (!(err instanceof ScaffoldError)) throw err;
    console.error(`error: ${err.message}`);
    return 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
