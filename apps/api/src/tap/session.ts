import { RateWindow, type TapEvent, type TapQuery } from '@meshviz/mesh-types';
import type { ObserveRequest, Upstream, WireEvent, WirePeer } from './proxy-client.js';
import type { TapTarget } from './resolve.js';

export interface SessionSink {
  event(e: TapEvent): void;
  drops(pod: string, count: number): void;
  /** A proxy's stream ended with an error; the others go on, and this one is opened again. */
  upstreamError(pod: string, message: string): void;
  /** False while the client reads too slowly: new requests are dropped whole (and counted) instead of buffered. */
  hasRoom?(): boolean;
}

export type Observe = (
  target: TapTarget,
  request: ObserveRequest,
  onEvent: (e: WireEvent) => void,
  onEnd: (err: Error | null) => void,
) => Upstream;

export interface SessionOptions {
  /** First wait before opening a failed proxy stream again; doubled per failure in a row, up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

const MAX_OPEN_REQUESTS = 10_000;
const EVENTS_PER_REQUEST = 3;

/** Splits a total rate across proxies: each gets at least 1, the session's own window keeps the total. */
export function splitRate(total: number, proxies: number): number[] {
  if (proxies === 0) return [];
  const base = Math.floor(total / proxies);
  return Array.from({ length: proxies }, (_, i) => Math.max(1, base + (i < total % proxies ? 1 : 0)));
}

const peer = (p: WirePeer | null | undefined) => ({
  addr: p?.addr ?? '',
  namespace: p?.namespace ?? '',
  deployment: p?.deployment ?? '',
  pod: p?.pod ?? '',
  identity: p?.identity ?? '',
});

/** The proxy's policy decision: proto3 strings are "" when unset; the API's shape says null and leaves out "". */
const authz = (a: NonNullable<WireEvent['authz']>): NonNullable<TapEvent['authz']> => ({
  denied: a.denied,
  server: a.server,
  route: a.route,
  authorization: a.authorization === '' ? null : a.authorization,
  ...(a.reason !== '' ? { reason: a.reason } : {}),
});

function toEvent(t: TapTarget, idPrefix: string, w: WireEvent): TapEvent {
  const base = {
    id: `${idPrefix}${w.id}`,
    direction: w.direction === 'outbound' ? ('outbound' as const) : ('inbound' as const),
    source: peer(w.source),
    destination: peer(w.destination),
    proxy: { namespace: t.namespace, deployment: t.deployment, pod: t.pod },
    tls: w.tls ?? '',
    noTlsReason: w.noTlsReason ?? '',
    ...(w.authz ? { authz: authz(w.authz) } : {}),
  };
  if (w.event === 'requestInit' && w.requestInit) return { ...base, requestInit: { ...w.requestInit, headers: [...w.requestInit.headers] } };
  if (w.event === 'responseInit' && w.responseInit) return { ...base, responseInit: { ...w.responseInit, headers: [...w.responseInit.headers] } };
  const end = w.responseEnd!;
  return { ...base, responseEnd: { ...end, grpcStatus: end.grpcStatus < 0 ? null : end.grpcStatus } };
}

interface Stream {
  upstream: Upstream | null;
  ended: boolean;
}

/** One proxy's stream within a session, across reopenings. */
interface Link {
  readonly target: TapTarget;
  readonly request: ObserveRequest;
  /** The open stream; null while waiting to open it again. */
  stream: Stream | null;
  /** Streams opened so far; ids restart at 1 when a proxy restarts, so later streams prefix theirs. */
  opened: number;
  failures: number;
  retry: ReturnType<typeof setTimeout> | null;
  /** Requests dropped here because the client read too slowly, not reported yet. */
  dropped: number;
}

/**
 * One tap: a stream per proxy, merged, capped at the requested rate in total (at most max_rps requests in any
 * second), each request's three parts in order under one id. A proxy stream that fails is reported and opened
 * again, so the session runs until `close()`, which cancels every upstream stream at once.
 */
export class TapSession {
  private readonly links: Link[];
  private readonly admitted = new Set<string>();
  private readonly rate: RateWindow;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private closed = false;

  constructor(
    targets: TapTarget[],
    query: TapQuery,
    private readonly observe: Observe,
    private readonly sink: SessionSink,
    options: SessionOptions = {},
  ) {
    this.rate = new RateWindow(query.max_rps);
    this.retryMs = options.retryMs ?? 1_000;
    this.maxRetryMs = options.maxRetryMs ?? 10_000;
    const rates = splitRate(query.max_rps, targets.length);
    const match = {
      ...(query.direction ? { direction: query.direction } : {}),
      ...(query.method ? { method: query.method } : {}),
      ...(query.path ? { pathPrefix: query.path } : {}),
      ...(query.authority ? { authority: query.authority } : {}),
      ...(query.scheme ? { scheme: query.scheme } : {}),
      ...(query.to_namespace ? { dstNamespace: query.to_namespace } : {}),
      ...(query.to_workload ? { dstDeployment: query.to_workload } : {}),
    };
    this.links = targets.map((target, i) => ({
      target,
      request: { maxRps: rates[i] ?? 1, match },
      stream: null,
      opened: 0,
      failures: 0,
      retry: null,
      dropped: 0,
    }));
  }

  start(): void {
    for (const link of this.links) this.open(link);
  }

  /** Reports requests dropped for a slow client, once it has room again. */
  flushDrops(): void {
    if (this.closed || this.sink.hasRoom?.() === false) return;
    for (const link of this.links) {
      if (link.dropped === 0) continue;
      this.sink.drops(link.target.pod, link.dropped * EVENTS_PER_REQUEST);
      link.dropped = 0;
    }
  }

  /** Upstream streams open right now. */
  get upstreamCount(): number {
    return this.links.filter((l) => l.stream !== null && !l.stream.ended).length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const link of this.links) {
      if (link.retry) clearTimeout(link.retry);
      link.retry = null;
      link.stream?.upstream?.cancel();
      link.stream = null;
    }
  }

  private open(link: Link): void {
    link.retry = null;
    const { target } = link;
    const prefix = `${target.namespace}/${target.pod}/${link.opened === 0 ? '' : `${link.opened}.`}`;
    link.opened += 1;
    const stream: Stream = { upstream: null, ended: false };
    link.stream = stream;
    stream.upstream = this.observe(
      target,
      link.request,
      (w) => {
        link.failures = 0;
        this.onWire(link, prefix, w);
      },
      (err) => {
        if (stream.ended) return;
        stream.ended = true;
        if (this.closed || link.stream !== stream) return;
        link.stream = null;
        this.sink.upstreamError(target.pod, err?.message ?? 'the proxy ended the stream');
        const wait = Math.min(this.maxRetryMs, this.retryMs * 2 ** link.failures);
        link.failures += 1;
        link.retry = setTimeout(() => this.open(link), wait);
      },
    );
  }

  private onWire(link: Link, prefix: string, w: WireEvent): void {
    if (this.closed) return;
    if (w.event === 'drops') {
      this.sink.drops(link.target.pod, w.drops?.count ?? 0);
      return;
    }
    const event = toEvent(link.target, prefix, w);
    if (event.requestInit) {
      // A client that reads too slowly loses whole new requests rather than making this process buffer them.
      if (this.sink.hasRoom?.() === false) {
        link.dropped += 1;
        return;
      }
      // The total cap: a request over it is dropped whole, so no client sees a response without its request.
      if (!this.rate.take()) return;
      this.flushDrops();
      this.admitted.add(event.id);
      // A proxy that dies mid-request never sends the end: forget the oldest ids rather than grow.
      if (this.admitted.size > MAX_OPEN_REQUESTS) this.admitted.delete(this.admitted.values().next().value ?? '');
    } else if (!this.admitted.has(event.id)) {
      return;
    }
    if (event.responseEnd) this.admitted.delete(event.id);
    this.sink.event(event);
  }
}
