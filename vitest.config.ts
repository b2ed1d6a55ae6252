import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'playwright'],
    // Vitest's default on a 2-core machine is one worker, so files run one after another. Most of ours wait on real
    // processes and sockets rather than compute, and one holds a tap session open for five minutes
    // (apps/cli/src/integration/tap-session.integration.test.ts): at least two workers let it run beside the rest.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
