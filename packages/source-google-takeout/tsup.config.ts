import { defineConfig } from 'tsup';

export default defineConfig([
  { entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: process.env.BRONZE_BUILD_NO_DTS !== '1', sourcemap: true, clean: true, target: 'node20', shims: true, external: ['@bronze/core'] },
]);
