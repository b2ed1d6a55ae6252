import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // The live demo stack starts once for all specs and is shared through provide/inject.
    globalSetup: ['src/global-setup.ts'],
    // A browser and a Next.js server take a while to come up on a small machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser at a time beside the stack on a 2-core machine.
    fileParallelism: false,
    // After every other project: the browser specs' stack and Chromium would otherwise share the 2 cores with the
    // integration tests' own stacks, whose latency checks compare a client's clock with the proxies'.
    sequence: { groupOrder: 1 },
  },
});
