import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ENV } from '../env.js';
import { createPrometheusClient } from '../prometheus/client.js';
import { deriveAnswer } from '../testing/derived-answer.js';
import { fallbacks, predatingOutbound } from '../testing/predating-families.js';
import { recordedPrometheus } from '../testing/recorded-prometheus.js';
import { answerOf } from './answer-jobs.js';

/**
 * The worker's entry file is found beside the built module (dist/answers/answer-worker.js), not the TypeScript one
 * vitest runs: `meshviz-api` as users run it must answer through it.
 */
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/meshviz-api.js', import.meta.url));
const FIXTURE = new URL('../testing/fixtures/demo-mesh.json', import.meta.url);
const AT = Date.parse('2026-11-20T10:00:00Z');

let prom: Awaited<ReturnType<typeof recordedPrometheus>>;
beforeAll(async () => {
  // Tests the current source, not whatever dist/ happens to hold.
  execFileSync(process.execPath, [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '-p', 'tsconfig.build.json'], { cwd: packageDir });
  prom = await recordedPrometheus(FIXTURE, { fallback: fallbacks(deriveAnswer, predatingOutbound) });
}, 120_000);
afterAll(() => prom?.close());

describe('meshviz-api from the built code', () => {
  it('computes the stats and the topology in its worker thread, the same JSON as here, and stops on SIGTERM', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      [API_ENV.listenAddr]: '127.0.0.1:0',
      [API_ENV.prometheusUrl]: prom.url,
      [API_ENV.scrapeInterval]: '5s',
      [API_ENV.answerWorkerHeapMb]: '256',
    };
    const child = spawn(process.execPath, [bin], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const entry = JSON.parse(line) as { msg?: string; address?: string };
          if (entry.msg === 'meshviz-api listening' && entry.address) resolve(entry.address);
        });
        void exited.then((code) => reject(new Error(`meshviz-api exited with ${code} before listening`)));
      });
      const here = createPrometheusClient({ url: prom.url, timeoutMs: 5000, auth: { kind: 'none' } });
      const configured = { table: null, source: { known: false, reason: 'the configured policy is not known: the API has no destinations file (API_DESTINATIONS_FILE is not set)' } };
      for (const [path, job] of [
        ['/api/v1/topology?namespace=all&window=1m', { kind: 'topology', namespace: null, window: '1m', scrapeSeconds: 5, at: AT, configured }],
        ['/api/v1/stats?kind=deployment&namespace=all&window=1m', { kind: 'stats', query: { kind: 'deployment', namespace: 'all', window: '1m', tcp: false }, at: AT }],
      ] as const) {
        const res = await fetch(`${address}${path}&at=${AT / 1000}`);
        const body = await res.text();
        expect(res.status, body).toBe(200);
        expect(body).toBe(await answerOf(here, job));
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
