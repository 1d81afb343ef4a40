import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 30_000,
    // End-to-end runs pin processes to CPUs 0 and 1; running them one at a time keeps them honest.
    fileParallelism: false,
  },
});
