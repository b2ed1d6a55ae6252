/**
 * The browser chaos specs: each starts a mesh of its own and stops a part of it (Prometheus, the API) under a running
 * page. They run in `npm run test:long` (vitest.long.config.ts), which CI runs beside `npm test`, rather than in
 * `npm test`, to keep that under its time bound.
 */
export const BROWSER_CHAOS_SPECS = ['src/prometheus-outage.test.ts', 'src/tap-reconnect.test.ts'];
