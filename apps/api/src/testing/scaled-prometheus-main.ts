/**
 * scaledPrometheus (scaled-prometheus.ts) as a process of its own, over the demo mesh with its usual fallbacks, for
 * tests that time the API's event loop: the store's own work (writing answers of megabytes) then runs apart, as a
 * real store's does. Prints its URL as one line; exits when its stdin closes (the test ended or died).
 * Usage: scaled-prometheus-main.ts <copies>
 */
import { deriveAnswer } from './derived-answer.js';
import { fallbacks, predatingOutbound } from './predating-families.js';
import { scaledPrometheus } from './scaled-prometheus.js';

const copies = Number(process.argv[2]);
if (!Number.isInteger(copies) || copies < 1) {
  process.stderr.write('usage: scaled-prometheus-main.ts <copies>\n');
  process.exit(2);
}
const store = await scaledPrometheus(new URL('./fixtures/demo-mesh.json', import.meta.url), copies, {
  fallback: fallbacks(deriveAnswer, predatingOutbound),
});
process.stdout.write(`${store.url}\n`);
process.stdin.on('end', () => void store.close().finally(() => process.exit(0))).resume();
