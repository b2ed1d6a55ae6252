import { defineProject } from 'vitest/config';
import { BROWSER_CHAOS_SPECS } from './chaos-specs.js';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // The chaos specs (each stops a part of its own mesh under a running page) run in `npm run test:long`.
    exclude: [...BROWSER_CHAOS_SPECS],
    // The live demo stack starts once for all specs and is shared through provide/inject.
    globalSetup: ['src/global-setup.ts'],
    // A browser and a Next.js server take a while to come up on a small machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser at a time beside the stack on a 2-core machine.
    fileParallelism: false,
    // The specs share one worker's modules (playwright-core and the page objects hold no state between files)
    // instead of starting a fresh worker per spec: about 2 s per file.
    isolate: false,
    // Last, after every other project (group 0) and the lone latency test (group 1, root vitest.config.ts): the
    // browser specs' stack and Chromium would otherwise share the 2 cores with the integration tests' own stacks.
    sequence: { groupOrder: 3 },
  },
});
