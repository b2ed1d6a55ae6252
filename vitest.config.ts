import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      // Fuzzing, hostile callers and chaos (tests/README.md); their long budgets are root scripts (fuzz:long, soak).
      'tests',
      {
        // Measures how busy the API's event loop stays while a whole mesh is computed (in the answer worker, and on
        // the main thread for comparison), so it runs alone before the next group: beside the rest on 2 cores the
        // computation and its store wait for CPU, and what it measured was the machine's load (a 2.5 s test took
        // 74 s, once over its 120 s). (apps/api/vitest.config.ts leaves it out of @meshviz/api.)
        test: {
          name: '@meshviz/api (alone)',
          root: './apps/api',
          include: ['src/answers/answer-busy.test.ts'],
          testTimeout: 20_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Compares the load generator's own clock with the proxies' latency quantiles, so it runs in a group of its
        // own after the rest: beside other stacks on 2 cores, the client's starved event loop adds time the proxies
        // never see. (apps/cli/vitest.config.ts leaves it out of @meshviz/cli.)
        test: {
          name: '@meshviz/cli (alone)',
          root: './apps/cli',
          include: ['src/up/up.integration.test.ts', 'src/up/pods/pods.integration.test.ts'],
          testTimeout: 20_000,
          sequence: { groupOrder: 2 },
        },
      },
      // The browser specs come last (groupOrder 3 in playwright/vitest.config.ts); `npm test` runs them in a second
      // vitest run of their own (scripts/setup.mjs), so the demo stack their global setup starts does not share the
      // machine with the rest. The short soak and the two browser chaos specs run in `npm run test:long`
      // (vitest.long.config.ts), which CI runs too.
      'playwright',
    ],
    // Vitest's default on a 2-core machine is one worker, so files run one after another. Most of ours wait on real
    // processes and sockets rather than compute, and one holds a tap session open for five minutes
    // (apps/cli/src/integration/tap-session.integration.test.ts): at least two workers let it run beside the rest.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
