/**
 * Builds the API over a recorded mesh, has its answer worker compute a topology, closes the API and the store, and
 * then does nothing: the process must end by itself, so no thread the API started keeps it alive. Prints the
 * answer's status first. Usage: api-closes-main.ts
 */
import { buildApp } from '../app.js';
import { deriveAnswer } from './derived-answer.js';
import { fallbacks, predatingOutbound } from './predating-families.js';
import { recordedPrometheus } from './recorded-prometheus.js';

const prom = await recordedPrometheus(new URL('./fixtures/demo-mesh.json', import.meta.url), { fallback: fallbacks(deriveAnswer, predatingOutbound) });
const app = buildApp({ config: { prometheusUrl: prom.url, prometheusTimeoutMs: 5000, logLevel: 'silent', scrapeIntervalSeconds: 5 } });
const res = await app.inject({ url: '/api/v1/topology?namespace=all&window=1m' });
process.stdout.write(`${res.statusCode}\n`);
await app.close();
await prom.close();
