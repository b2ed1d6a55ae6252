import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // Runs in a group of its own, "@meshviz/cli (alone)" in the root vitest.config.ts.
    exclude: [...configDefaults.exclude, 'src/up/up.integration.test.ts'],
    testTimeout: 20_000,
  },
});
