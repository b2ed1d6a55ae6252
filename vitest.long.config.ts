import { defineConfig } from 'vitest/config';

/**
 * Long sessions, apart from `npm test` (which stays short): `npm run test:long`. CI runs it too (.ci/run). Today:
 * one tap session held open through the real `meshviz tap` for five minutes of steady traffic.
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
    ],
  },
});
