import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Next.js resolves `server-only` itself; outside Next it is a no-op marker.
    alias: { 'server-only': fileURLToPath(new URL('./src/testing/server-only-stub.ts', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
