import type { SourceNames } from './names.js';

/**
 * How a generated package's `pnpm --filter source-<name> ingest` reaches the ingest command:
 * its package.json `ingest` script and `bin`, the bin's source file and its tsup entry. Kept
 * in this one place (copied from source-toggl) so that it changes here alone when the command
 * moves.
 */
export function ingestBin(n: SourceNames) {
  return {
    script: 'node --conditions=source --import tsx src/cli.ts',
    bin: { [`bronze-${n.cli}`]: './dist/cli.js' },
    files: {
      'src/cli.ts': `import { runSourceCli } from '@bronze/core';\nimport source from './index.js';\n\nprocess.exitCode = await runSourceCli(source, process.argv.slice(2));\n`,
    } as Record<string, string>,
    tsupEntry: `{ entry: ['src/cli.ts'], format: ['esm'], sourcemap: true, target: 'node20', external: ['@bronze/core'], banner: { js: '#!/usr/bin/env node' } },`,
  };
}
