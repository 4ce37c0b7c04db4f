import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // @bronze/testkit is a devDependency (testkit takes core as a peer, so turbo sees no cycle).
    conditions: ['source'],
  },
  ssr: { resolve: { conditions: ['source'] } },
  test: { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks', fileParallelism: false },
});
