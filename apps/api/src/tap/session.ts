import type { TapEvent, TapQuery } from '@meshviz/mesh-types';
import type { ObserveRequest, Upstream, WireEvent, WirePeer } from './proxy-client.js';
import type { TapTarget } from './resolve.js';

export interface SessionSink {
  event(e: TapEvent): void;
  drops(pod: string, count: number): void;
  /** A proxy's stream ended with an error; the others go on. */
  upstreamError(pod: string, message: string): void;
}

export type Observe = (
  target: TapTarget,
  request: ObserveRequest,
  onEvent: (e: WireEvent) => void,
  onEnd: (err: Error | null) => void,
) => Upstream;

const MAX_OPEN_REQUESTS = 10_000;

/** Splits a total rate across proxies: each gets at least 1, the session's own bucket keeps the total. */
export function splitRate(total: number, proxies: number): number[] {
  if (proxies === 0) return [];
  const base = Math.floor(total / proxies);
  return Array.from({ length: proxies }, (_, i) => Math.max(1, base + (i < total % proxies ? 1 : 0)));
}

/** Requests per second over all proxies: a token bucket admitting whole requests (their three events). */
class RequestBucket {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly rate: number) {
    this.tokens = rate;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const peer = (p: WirePeer | null | undefined) => ({
  addr: p?.addr ?? '',
  namespace: p?.namespace ?? '',
  deployment: p?.deployment ?? '',
  pod: p?.pod ?? '',
});

function toEvent(t: TapTarget, w: WireEvent): TapEvent {
  const base = {
    id: `${t.namespace}/${t.pod}/${w.id}`,
    direction: w.direction === 'outbound' ? ('outbound' as const) : ('inbound' as const),
    source: peer(w.source),
    destination: peer(w.destination),
    proxy: { namespace: t.namespace, deployment: t.deployment, pod: t.pod },
  };
  if (w.event === 'requestInit' && w.requestInit) return { ...base, requestInit: { ...w.requestInit, headers: [...w.requestInit.headers] } };
  if (w.event === 'responseInit' && w.responseInit) return { ...base, responseInit: { ...w.responseInit, headers: [...w.responseInit.headers] } };
  const end = w.responseEnd!;
  return { ...base, responseEnd: { ...end, grpcStatus: end.grpcStatus < 0 ? null : end.grpcStatus } };
}

/**
 * One tap: a stream per proxy, merged, capped at the requested rate in total, each request's three parts in
 * order under one id. `close()` cancels every upstream stream at once.
 */
export class TapSession {
  private readonly upstreams: Upstream[] = [];
  private readonly admitted = new Set<string>();
  private readonly bucket: RequestBucket;
  private closed = false;

  constructor(
    private readonly targets: TapTarget[],
    private readonly query: TapQuery,
    private readonly observe: Observe,
    private readonly sink: SessionSink,
  ) {
    this.bucket = new RequestBucket(query.max_rps);
  }

  start(): void {
    const rates = splitRate(this.query.max_rps, this.targets.length);
    this.targets.forEach((target, i) => {
      const request: ObserveRequest = {
        maxRps: rates[i] ?? 1,
        match: {
          ...(this.query.direction ? { direction: this.query.direction } : {}),
          ...(this.query.method ? { method: this.query.method } : {}),
          ...(this.query.path ? { pathPrefix: this.query.path } : {}),
          ...(this.query.authority ? { authority: this.query.authority } : {}),
          ...(this.query.scheme ? { scheme: this.query.scheme } : {}),
          ...(this.query.to_namespace ? { dstNamespace: this.query.to_namespace } : {}),
          ...(this.query.to_workload ? { dstDeployment: this.query.to_workload } : {}),
        },
      };
      const upstream = this.observe(
        target,
        request,
        (w) => this.onWire(target, w),
        (err) => {
          if (err && !this.closed) this.sink.upstreamError(target.pod, err.message);
        },
      );
      this.upstreams.push(upstream);
    });
  }

  private onWire(target: TapTarget, w: WireEvent): void {
    if (this.closed) return;
    if (w.event === 'drops') {
      this.sink.drops(target.pod, w.drops?.count ?? 0);
      return;
    }
    const event = toEvent(target, w);
    if (event.requestInit) {
      // The total cap: a request over it is dropped whole, so no client sees a response without its request.
      if (!this.bucket.take()) return;
      this.admitted.add(event.id);
      // A proxy that dies mid-request never sends the end: forget the oldest ids rather than grow.
      if (this.admitted.size > MAX_OPEN_REQUESTS) this.admitted.delete(this.admitted.values().next().value ?? '');
    } else if (!this.admitted.has(event.id)) {
      return;
    }
    if (event.responseEnd) this.admitted.delete(event.id);
    this.sink.event(event);
  }

  get upstreamCount(): number {
    return this.upstreams.length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.upstreams) u.cancel();
  }
}
