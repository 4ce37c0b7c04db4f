import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: process.env.BRONZE_BUILD_NO_DTS !== '1',
  sourcemap: true,
  clean: true,
  target: 'node20',
  shims: true,
  // kysely in the bundle: its ESM build is ~280 files, ~150 ms of every command's start-up
  // (README, benchmark). The PGlite dialect imports kysely, so it comes in too: left outside, it
  // would load kysely's files from node_modules again.
  noExternal: ['kysely', 'kysely-pglite-dialect'],
});
