import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // The short soak (HARDENING_SOAK_SECONDS, 25 s) is a project of its own in `npm run test:long` (root
    // vitest.long.config.ts, `@meshviz/hardening (soak)`); 10 minutes by `npm run soak` (vitest.chaos.config.ts). The chaos
    // cases are short and run here (`npm run chaos`: them alone).
    exclude: ['src/soak/**'],
    // Fuzz targets run a fixed budget of cases over real sockets; the longer budget is `npm run fuzz:long`.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
