import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    // Run on its own after the rest: the '@meshviz/api (alone)' project in the root vitest.config.ts.
    exclude: ['src/answers/answer-busy.test.ts'],
    // Files share their worker's module graph instead of importing it afresh each (what most of these files' time
    // was): no test here changes a module's state, and stubs and spies are undone by the files that make them.
    isolate: false,
    testTimeout: 20_000,
  },
});
