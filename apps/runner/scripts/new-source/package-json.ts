import { ingestBin } from './ingest-bin.js';
import type { SourceNames } from './names.js';

/** A source package's package.json, shaped like packages/source-toggl's. */
export function packageJson(n: SourceNames, kind: 'api' | 'files'): string {
  const bin = ingestBin(n);
  const pkg = {
    name: n.pkg,
    version: '0.1.0',
    description: `bronze source ${n.source}: TODO one line on what it reads (${kind === 'api' ? 'its API' : 'its export files'}) into the bronze_${n.source} table.`,
    license: 'MIT',
    type: 'module',
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': {
        source: './src/index.ts',
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
      './package.json': './package.json',
    },
    files: ['dist', 'src', 'README.md'],
    sideEffects: false,
    engines: { node: '>=20.10' },
    scripts: { build: 'tsup', typecheck: 'tsc -p tsconfig.json', lint: 'publint --strict', test: 'vitest run', ingest: bin.script },
    peerDependencies: { '@bronze/core': 'workspace:^' },
    devDependencies: { '@bronze/core': 'workspace:*', '@bronze/testkit': 'workspace:*' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
