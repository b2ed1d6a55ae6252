import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // A browser, a Next.js server and (for the stack) Prometheus's first scrapes take a while to come up.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser and one stack at a time on a 2-core machine.
    fileParallelism: false,
  },
});
