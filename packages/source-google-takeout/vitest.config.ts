import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { testTimeout: 300_000, hookTimeout: 120_000, pool: 'forks', fileParallelism: false },
});
