import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Next.js resolves `server-only` itself; outside Next it is a no-op marker.
    alias: { 'server-only': fileURLToPath(new URL('./src/testing/server-only-stub.ts', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    // Files share their worker's module graph instead of importing it afresh each (what most of these files' time
    // was): no test here changes a module's state, and stubs and spies are undone by the files that make them.
    isolate: false,
    environment: 'node',
    testTimeout: 20_000,
  },
});
