import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fixtureKey, type RecordedOptions } from './recorded-prometheus.js';
import { startStoreServer } from './store-server.js';

interface Vector {
  status: string;
  data?: { resultType?: string; result?: unknown[] };
}

/**
 * A recorded mesh (fixtures/*.json, as recorded-prometheus.ts serves it) made `copies` times larger: each answer's
 * samples repeated once per copy with the namespaces renamed (`bookshop` → `bookshop-7`, in every label, authorities
 * and identities included), so copy k is the recorded mesh again in namespaces of its own. For tests that need a
 * mesh whose whole-mesh answers take real CPU to decode and fold. Each answer is written once and kept, so serving
 * it costs this process little beyond the socket. `setCopies` changes the size between tests.
 */
export async function scaledPrometheus(fixture: URL, initialCopies: number, options: Pick<RecordedOptions, 'fallback'> = {}) {
  let copies = initialCopies;
  const recorded = JSON.parse(await readFile(fixture, 'utf8')) as Record<string, unknown>;
  const names = new Set<string>();
  for (const answer of Object.values(recorded)) {
    for (const s of (answer as Vector).data?.result ?? []) {
      const metric = (s as { metric?: Record<string, string> }).metric ?? {};
      for (const label of ['namespace', 'dst_namespace']) if (metric[label]) names.add(metric[label]);
    }
  }
  const namespace = new RegExp(`\\b(${[...names].join('|')})\\b`, 'g');
  const scale = (answer: unknown): string => {
    const v = answer as Vector;
    if (v.status !== 'success' || v.data?.resultType !== 'vector' || !v.data.result) return JSON.stringify(answer);
    const samples = v.data.result.map((s) => JSON.stringify(s));
    const result: string[] = [];
    for (let k = 0; k < copies; k++) for (const s of samples) result.push(s.replace(namespace, `$1-${k}`));
    return `{"status":"success","data":{"resultType":"vector","result":[${result.join(',')}]}}`;
  };
  const written = new Map<string, string | null>();
  const server = await startStoreServer(({ path, params }) => {
    const key = fixtureKey(path, params);
    if (!written.has(key)) {
      const answer = recorded[key] ?? options.fallback?.(recorded, key);
      written.set(key, answer === undefined ? null : scale(answer));
    }
    const text = written.get(key);
    if (text === null || text === undefined) {
      return { status: 400, body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: `unrecorded query: ${key}` }) };
    }
    return { status: 200, body: text };
  });
  return {
    url: server.url,
    /** Another size from now on (the answers written so far are dropped). */
    setCopies(n: number) {
      copies = n;
      written.clear();
    },
    close: server.close,
  };
}

/** scaledPrometheus over the demo mesh in a child process (scaled-prometheus-main.ts, run through tsx). */
export async function scaledPrometheusProcess(copies: number): Promise<{ url: string; close: () => Promise<void> }> {
  const main = fileURLToPath(new URL('./scaled-prometheus-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, String(copies)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    void exited.then(() => reject(new Error('the scaled Prometheus exited before it listened')));
  });
  lines.close();
  return {
    url,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
