import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScrapeGroup } from './stores.js';

/**
 * A tiny mesh in the proxy's metric format whose counters grow exactly linearly: every sample is stamped with
 * a whole second and its value is rate × seconds, so any store's rate() over any window the data
 * covers is the rate itself, and the expected numbers can be written down by hand. shop/web (one pod) calls the
 * service shop/api, served by the two pods of shop/api, which see all of web's requests and nothing else.
 */
export const STEADY = {
  /** Requests per second web sends to api, and the share that succeeds. */
  rps: 30,
  successShare: 0.9,
  /** Share of api's inbound requests each pod serves. */
  podShares: { 'api-0': 0.25, 'api-1': 0.75 } as Record<string, number>,
  /** Upper bounds (ms) and the cumulative share of responses at or below each; the last is +Inf. */
  buckets: [
    ['5', 0.2],
    ['10', 0.5],
    ['50', 0.9],
    ['100', 0.98],
    ['+Inf', 1],
  ] as Array<[string, number]>,
  /**
   * histogram_quantile of those buckets: p50 ends bucket (5, 10]; p95 lies 5/8 into (50, 100]; p99 falls in the
   * +Inf bucket, which answers the highest finite bound.
   */
  latencyMs: { p50: 10, p95: 81.25, p99: 100 },
} as const;

/** Counters start this many seconds of traffic ago, so no window the tests read reaches their start. */
const HISTORY_SECONDS = 10_000;

function series(lines: string[], labels: string, rps: number, second: number, t0: number): void {
  const stamp = second * 1000;
  const total = (share: number) => rps * share * (second - t0);
  lines.push(`response_total{${labels},classification="success",status_code="200"} ${total(STEADY.successShare)} ${stamp}`);
  lines.push(`response_total{${labels},classification="failure",status_code="500"} ${total(1 - STEADY.successShare)} ${stamp}`);
  for (const [le, share] of STEADY.buckets) lines.push(`response_latency_ms_bucket{${labels},le="${le}"} ${total(share)} ${stamp}`);
}

export interface SteadyMesh {
  groups: ScrapeGroup[];
  close(): Promise<void>;
}

export async function startSteadyMesh(): Promise<SteadyMesh> {
  const t0 = Math.floor(Date.now() / 1000) - HISTORY_SECONDS;
  const pods: Record<string, { deployment: string; write: (lines: string[], second: number) => void }> = {
    'web-0': {
      deployment: 'web',
      write: (lines, second) =>
        series(
          lines,
          'direction="outbound",dst_namespace="shop",dst_service="api",dst_deployment="api",tls="true"',
          STEADY.rps,
          second,
          t0,
        ),
    },
  };
  for (const [pod, share] of Object.entries(STEADY.podShares)) {
    pods[pod] = {
      deployment: 'api',
      write: (lines, second) => series(lines, 'direction="inbound",tls="true"', STEADY.rps * share, second, t0),
    };
  }
  const server = http.createServer((req, res) => {
    const pod = pods[(req.url ?? '').split('/').pop() ?? ''];
    if (!pod) {
      res.statusCode = 404;
      res.end();
      return;
    }
    // Stamped with the next whole second, never an earlier one: a sample is in the store before any instant it
    // describes, so a rule evaluated at an instant sees every sample a query at that instant would.
    const second = Math.ceil(Date.now() / 1000);
    const lines = [`proxy_build_info{version="test"} 1 ${second * 1000}`];
    pod.write(lines, second);
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    groups: Object.entries(pods).map(([pod, p]) => ({
      targets: [`127.0.0.1:${port}`],
      labels: { __metrics_path__: `/metrics/${pod}`, namespace: 'shop', deployment: p.deployment, pod },
    })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
