import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: process.env.BRONZE_BUILD_NO_DTS !== '1',
  sourcemap: true,
  clean: true,
  target: 'node20',
  shims: true,
  // kysely in the bundle: its ESM build is ~280 files, and the PGlite dialect loads its CommonJS
  // build too; loading both cost every command ~110–160 ms of start-up (README, benchmark).
  noExternal: ['kysely', 'kysely-pglite-dialect'],
});
