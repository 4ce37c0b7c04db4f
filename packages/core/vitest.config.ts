import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    conditions: ['source'],
    // testkit depends on core; core's own tests use it from source (no package cycle for turbo).
    alias: { '@bronze/testkit': fileURLToPath(new URL('../testkit/src/index.ts', import.meta.url)) },
  },
  ssr: { resolve: { conditions: ['source'] } },
  test: { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks', fileParallelism: false },
});
