import { defineConfig } from 'vitest/config';

/** `npm run chaos` and `npm run soak`: the long or not-yet-holding cases, apart from npm test. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.chaos.test.ts', 'src/soak/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
