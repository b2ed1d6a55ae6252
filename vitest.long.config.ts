import { defineConfig } from 'vitest/config';
import { BROWSER_CHAOS_SPECS } from './playwright/chaos-specs.js';

/**
 * Long and fault sessions, apart from `npm test` (which stays short): `npm run test:long`. CI runs it too (.ci/run).
 * One after another, each alone on the machine: the tap session held open through the real `meshviz tap` for five
 * minutes of steady traffic; the short soak (25 s at 150 requests/s through six proxy processes over mTLS; `npm run
 * soak` runs 10 minutes); the browser chaos specs (Prometheus stopped, the API restarted under a running page).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: '@meshviz/cli (long)',
          root: './apps/cli',
          include: ['src/integration/tap-session.integration.test.ts'],
          testTimeout: 420_000,
        },
      },
      {
        // Alone: beside other stacks on 2 cores its six proxies' mTLS handshakes miss their 1 s connect timeout.
        test: {
          name: '@meshviz/hardening (soak)',
          root: './tests',
          include: ['src/soak/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: '@meshviz/playwright (chaos)',
          root: './playwright',
          include: BROWSER_CHAOS_SPECS,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
