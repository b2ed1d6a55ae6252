import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'playwright'],
    // Vitest's default on a 2-core machine is one worker, so files run one after another. Most of ours wait on real
    // processes and sockets rather than compute, and one holds a tap session open for five minutes
    // (apps/cli/src/integration/tap-session.integration.test.ts): it mostly waits, so one worker more than the
    // cores lets it run beside the unit tests and the browser specs instead of holding a core's worth of queue.
    maxWorkers: Math.max(3, availableParallelism() + 1),
  },
});
