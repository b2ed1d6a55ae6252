import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // Fuzz targets run a fixed budget of cases over real sockets; the longer budget is `npm run fuzz:long`.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
