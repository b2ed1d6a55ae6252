import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // up.integration runs in a group of its own, "@meshviz/cli (alone)" in the root vitest.config.ts; the
    // five-minute tap session is a long test, run by `npm run test:long` (vitest.long.config.ts).
    exclude: [...configDefaults.exclude, 'src/up/up.integration.test.ts', 'src/up/pods/pods.integration.test.ts', 'src/integration/tap-session.integration.test.ts'],
    testTimeout: 20_000,
  },
});
