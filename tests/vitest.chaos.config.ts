import { defineConfig } from 'vitest/config';

/** `npm run soak`: the long soak, apart from npm test (which runs a short one in the hardening project). */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['src/soak/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
