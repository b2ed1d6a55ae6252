import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LATENCY_BUCKETS_MS } from '@meshviz/mesh-types';

/**
 * A synthetic mesh in the proxy's metric format, for the API benchmark: `workloads` pods (one per workload, in
 * `namespaces` namespaces), each calling `edgesPerWorkload` others, served as one exposition per pod at
 * /metrics/<pod>. Counters grow at steady per-series rates, so every query has real data to chew on.
 */
export interface SyntheticMesh {
  url: string;
  targets: Array<{ path: string; labels: { namespace: string; deployment: string; pod: string } }>;
  close(): Promise<void>;
}

interface Workload {
  namespace: string;
  name: string;
  rps: number;
  calls: number[];
}

function workloads(count: number, namespaces: number, edgesPerWorkload: number): Workload[] {
  const out: Workload[] = [];
  for (let i = 0; i < count; i++) {
    const calls = Array.from({ length: edgesPerWorkload }, (_, k) => (i + 1 + k * 7) % count);
    out.push({ namespace: `ns-${i % namespaces}`, name: `svc-${i}`, rps: 1 + (i % 20), calls });
  }
  return out;
}

/** Cumulative histogram counts for `n` requests spread over a fixed latency shape. */
function buckets(n: number, slow: number): number[] {
  return LATENCY_BUCKETS_MS.map((le) => Math.round(n * Math.min(1, le / (10 * slow) + (le >= 50 * slow ? 1 : 0))));
}

function series(lines: string[], labels: string, total: number, failShare: number, slow: number): void {
  const ok = Math.round(total * (1 - failShare));
  const fail = total - ok;
  lines.push(`request_total{${labels}} ${total}`);
  lines.push(`response_total{${labels},status_code="200",classification="success"} ${ok}`);
  lines.push(`response_total{${labels},status_code="500",classification="failure"} ${fail}`);
  const b = buckets(total, slow);
  LATENCY_BUCKETS_MS.forEach((le, i) => {
    lines.push(`response_latency_ms_bucket{${labels},status_code="200",le="${le}"} ${b[i]}`);
  });
  lines.push(`response_latency_ms_bucket{${labels},status_code="200",le="+Inf"} ${total}`);
  lines.push(`response_latency_ms_count{${labels},status_code="200"} ${total}`);
  lines.push(`response_latency_ms_sum{${labels},status_code="200"} ${total * 5 * slow}`);
}

export async function startSyntheticMesh(count = 500, namespaces = 10, edgesPerWorkload = 4): Promise<SyntheticMesh> {
  const mesh = workloads(count, namespaces, edgesPerWorkload);
  const started = Date.now();
  const tls = 'tls="no_identity",no_tls_reason="disabled"';
  const server = http.createServer((req, res) => {
    const index = Number((req.url ?? '').split('/').pop());
    const w = mesh[index];
    if (!w) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const elapsed = (Date.now() - started) / 1000;
    const lines = ['proxy_build_info{version="bench"} 1'];
    series(lines, `direction="inbound",authority="${w.name}.${w.namespace}.svc.cluster.local",target_addr="10.0.0.1:8080",${tls}`, Math.round(w.rps * edgesPerWorkload * elapsed), 0.01 * (index % 5), 1 + (index % 3));
    for (const c of w.calls) {
      const d = mesh[c]!;
      const labels = `direction="outbound",authority="${d.name}.${d.namespace}.svc.cluster.local",target_addr="10.0.1.${c % 250}:4143",dst_namespace="${d.namespace}",dst_deployment="${d.name}",dst_service="${d.name}",dst_pod="${d.name}-0",${tls}`;
      series(lines, labels, Math.round(w.rps * elapsed), 0.01 * (c % 5), 1 + (c % 3));
    }
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `127.0.0.1:${port}`,
    targets: mesh.map((w, i) => ({ path: `/metrics/${i}`, labels: { namespace: w.namespace, deployment: w.name, pod: `${w.name}-0` } })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The same mesh served by a child process (exporter.ts, run with this process' own loader flags), so the bench's
 * API does not also spend its event loop on the store's scrapes.
 */
export async function spawnSyntheticMesh(count: number, namespaces: number, edgesPerWorkload: number): Promise<SyntheticMesh> {
  const entry = fileURLToPath(new URL(`./exporter${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, entry, String(count), String(namespaces), String(edgesPerWorkload)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the synthetic mesh's exporter exited with code ${code} before it listened`)));
  });
  lines.close();
  const { url, targets } = JSON.parse(first) as Pick<SyntheticMesh, 'url' | 'targets'>;
  return {
    url,
    targets,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
