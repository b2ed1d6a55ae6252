import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // The chaos cases that do not hold yet run by `npm run chaos` (vitest.chaos.config.ts). The soak runs in npm test
    // as a project of its own, last (root vitest.config.ts), and for 10 minutes by `npm run soak`.
    exclude: ['src/**/*.chaos.test.ts', 'src/soak/**'],
    // Fuzz targets run a fixed budget of cases over real sockets; the longer budget is `npm run fuzz:long`.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
