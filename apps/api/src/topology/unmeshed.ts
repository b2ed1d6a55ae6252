import { edgeId, type Graph, nodeId, sortGraph } from './graph.js';

/** How a window's rates were measured: their length and the scrape interval of the counters behind them. */
export interface RateNoise {
  windowSeconds: number;
  scrapeSeconds: number;
}

/** A remainder must exceed this many standard deviations of the rate noise to be shown. */
export const UNMESHED_SIGMAS = 3;
/** …and amount to at least this many requests over the window. */
export const UNMESHED_MIN_REQUESTS = 3;

/**
 * The smallest remainder (requests per second) that is more than measurement noise. A workload's own rate and its
 * callers' rates come from different counters, scraped at different moments: at each end of the window, rate()
 * extrapolates over up to one scrape interval of traffic, whose count varies by about √(rps·scrape) requests;
 * two ends on two sides make a standard deviation of about 2·√(rps·scrape) requests in the difference. Counters
 * born inside the window (a first 5xx, a new pod) add a little more, since no side sees their first increments.
 * A fixed share of the traffic cannot tell this noise from clients: it is large for short windows and slow scrapes
 * and tiny for long windows, which is why the "unmeshed clients" node came and went between refreshes.
 */
export function unmeshedThreshold(rps: number, noise: RateNoise): number {
  const sigma = 2 * Math.sqrt(Math.max(0, rps) * noise.scrapeSeconds);
  return Math.max(UNMESHED_MIN_REQUESTS, UNMESHED_SIGMAS * sigma) / noise.windowSeconds;
}

/**
 * Step 2: unmeshed clients. A workload's proxies answered more than its meshed callers sent (their requests, and
 * the retries their proxies added, shared among the workloads behind each service like the requests), by more
 * than the noise of the two measurements: the rest came from clients without a proxy (an ingress, a cron job, a
 * curl). They appear as one "unmeshed clients" node per workload; their latency is unknown (only the caller's
 * proxy measures it on the client side), so it stays null.
 * `retries`: retries per second by service node id.
 */
export function addUnmeshedClients(g: Graph, noise: RateNoise, retries: ReadonlyMap<string, number>): Graph {
  const nodes = [...g.nodes];
  const edges = [...g.edges];
  const sent = new Map<string, number>();
  for (const e of g.edges) sent.set(e.source, (sent.get(e.source) ?? 0) + (e.rps ?? 0));
  const meshedIn = new Map<string, { rps: number; ok: number }>();
  for (const e of g.edges) {
    const m = meshedIn.get(e.target) ?? { rps: 0, ok: 0 };
    const share = (e.rps ?? 0) / (sent.get(e.source) || 1);
    m.rps += (e.rps ?? 0) + (retries.get(e.source) ?? 0) * share;
    m.ok += (e.rps ?? 0) * (e.successRate ?? 0);
    meshedIn.set(e.target, m);
  }
  for (const w of g.nodes) {
    if (w.kind !== 'deployment' || w.rps === null) continue;
    const meshed = meshedIn.get(w.id) ?? { rps: 0, ok: 0 };
    const rest = w.rps - meshed.rps;
    if (rest <= unmeshedThreshold(w.rps, noise)) continue;
    // The unmeshed clients' successes: all successes, less those of the meshed callers' requests.
    const ok = Math.max(0, w.rps * (w.successRate ?? 0) - meshed.ok);
    const id = nodeId('unmeshed', w.namespace, w.name);
    nodes.push({
      id,
      kind: 'unmeshed',
      namespace: w.namespace,
      name: `unmeshed clients of ${w.name}`,
      parent: nodeId('namespace', w.namespace, w.namespace),
      meshed: false,
      rps: null,
      successRate: null,
      latencyMs: { p50: null, p95: null, p99: null },
      health: 'idle',
      dead: false,
    });
    edges.push({
      id: edgeId(id, w.id),
      source: id,
      target: w.id,
      rps: rest,
      successRate: Math.min(1, ok / rest),
      latencyMs: { p50: null, p95: null, p99: null },
      mtlsShare: 0,
      secured: false,
      insecureReason: 'the client has no proxy, so the connection cannot be mTLS',
      health: 'idle',
    });
  }
  return sortGraph({ nodes, edges });
}
