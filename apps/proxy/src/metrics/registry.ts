import { AUTHZ_METRIC, LATENCY_BUCKETS_MS, METRIC, OUTBOUND_METRIC, TCP_DURATION_BUCKETS_MS } from '@meshviz/mesh-types';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type AuthzFamilies, AuthzSeries } from './authz-series.js';
import { BalancerSeries } from './balancer-series.js';
import { type HttpFamilies, HttpSeries } from './http-series.js';
import { LightCounter, LightGauge, LightHistogram } from './light-metrics.js';
import { type OutboundFamilies, OutboundSeries } from './outbound-series.js';
import { type RouteFamilies, RouteSeries } from './route-series.js';
import { type TcpFamilies, TcpSeries } from './tcp-series.js';

export interface ProxyMetrics {
  /** The proxy's own registry; the global prom-client registry is never used. */
  readonly registry: Registry;
  readonly http: HttpSeries;
  readonly routes: RouteSeries;
  readonly tcp: TcpSeries;
  /** Inbound authorization decisions (allowed, denied, no route). */
  readonly authz: AuthzSeries;
  /** Outbound routes of services with an outbound config: statuses, backends, retries, faults. */
  readonly outbound: OutboundSeries;
  /** Outbound balancers: endpoints ready and pending, breaker transitions. */
  readonly balancer: BalancerSeries;
  close(): void;
}

/**
 * prom-client's default metrics include these gauges, whose `_total` suffix is a counter's (promtool flags them).
 * They only sum the per-type gauges of the same name without the suffix (`nodejs_active_handles{type}`), which stay.
 */
const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * The kinds prom-client labels `nodejs_gc_duration_seconds` with. Each series exists from the start, at zero, rather
 * than from the process's first collection of that kind (a major one may come minutes in): the series set is fixed
 * from the first scrape, and a rate over a kind has a start.
 */
export const GC_KINDS = ['minor', 'major', 'incremental', 'weakcb'] as const;

/**
 * Creates the registry with the telemetry contract's families (docs/architecture.md), process metrics and build
 * info.
 */
export function createProxyMetrics(options: { idleTimeoutMs: number; version: string }): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  const gc = registry.getSingleMetric('nodejs_gc_duration_seconds');
  if (gc instanceof Histogram) for (const kind of GC_KINDS) gc.zero({ kind });

  const buildInfo = new Gauge({
    name: METRIC.proxyBuildInfo,
    help: 'Proxy build information; always 1.',
    labelNames: ['version'],
    registers: [registry],
  });
  buildInfo.set({ version: options.version }, 1);

  const families: HttpFamilies = {
    requests: new LightCounter({
      name: METRIC.requestTotal,
      help: 'Total count of HTTP requests.',
      registers: [registry],
    }),
    responses: new LightCounter({
      name: METRIC.responseTotal,
      help: 'Total count of HTTP responses, counted when the response stream ends.',
      registers: [registry],
    }),
    latency: new LightHistogram({
      name: METRIC.responseLatencyMs,
      help: 'Elapsed times between a request being received and its response headers, in milliseconds.',
      buckets: LATENCY_BUCKETS_MS,
      registers: [registry],
    }),
  };
  const http = new HttpSeries(families, options.idleTimeoutMs);
  const routes = new RouteSeries(routeFamilies(registry), options.idleTimeoutMs);
  // Byte counters of open connections are brought up to date when scraped.
  let tcp: TcpSeries | undefined;
  const tcpFamilies = createTcpFamilies(registry, () => tcp?.collect());
  tcp = new TcpSeries(tcpFamilies, options.idleTimeoutMs);
  const authz = new AuthzSeries(authzFamilies(registry), options.idleTimeoutMs);
  const outbound = new OutboundSeries(outboundFamilies(registry), options.idleTimeoutMs);
  let balancer: BalancerSeries | undefined;
  const registers = [registry];
  balancer = new BalancerSeries(
    {
      endpoints: new LightGauge({
        name: OUTBOUND_METRIC.balancerEndpoints,
        help: 'Endpoints of each balancer by state: ready, or pending (breaker tripped or in probation).',
        registers,
        collect: () => balancer?.collect(),
      }),
      transitions: new LightCounter({
        name: OUTBOUND_METRIC.breakerTransitions,
        help: 'Circuit breaker transitions per endpoint: tripped, probation, closed.',
        registers,
      }),
    },
    options.idleTimeoutMs,
  );
  const series = [http, routes, tcp, authz, outbound, balancer];
  return {
    registry,
    http,
    routes,
    tcp,
    authz,
    outbound,
    balancer,
    close: () => {
      for (const s of series) s.close();
    },
  };
}

function routeFamilies(registry: Registry): RouteFamilies {
  const counter = (name: string, help: string) => new LightCounter({ name, help, registers: [registry] });
  return {
    requests: counter(METRIC.routeRequestTotal, 'Requests per route, as the caller saw them.'),
    responses: counter(
      METRIC.routeResponseTotal,
      'Responses per route, as the caller saw them (after retries), counted when the response stream ends.',
    ),
    latency: new LightHistogram({
      name: METRIC.routeResponseLatencyMs,
      help: 'Elapsed times between a request being received and its response headers, per route, in milliseconds.',
      buckets: LATENCY_BUCKETS_MS,
      registers: [registry],
    }),
    actualRequests: counter(METRIC.routeActualRequestTotal, 'Attempts per route on the wire, retries included.'),
    actualResponses: counter(
      METRIC.routeActualResponseTotal,
      'Responses per route to every attempt on the wire, retries included.',
    ),
  };
}

function outboundFamilies(registry: Registry): OutboundFamilies {
  const counter = (name: string, help: string) => new LightCounter({ name, help, registers: [registry] });
  return {
    statuses: counter(OUTBOUND_METRIC.routeRequestStatuses, 'Requests per outbound route by the answer the caller saw (after retries): HTTP status and error.'),
    backendRequests: counter(OUTBOUND_METRIC.routeBackendRequests, 'Attempts sent to each backend of an outbound route (retries included): the measured split.'),
    backendStatuses: counter(OUTBOUND_METRIC.routeBackendResponseStatuses, 'Answers to the attempts sent to each backend of an outbound route: HTTP status and error.'),
    retryRequests: counter(OUTBOUND_METRIC.retryRequests, 'Retries sent per outbound route.'),
    retrySuccesses: counter(OUTBOUND_METRIC.retrySuccesses, 'Retries per outbound route whose answer was not worth another retry.'),
    retryLimitExceeded: counter(OUTBOUND_METRIC.retryLimitExceeded, 'Retryable failures per outbound route not retried because the retry limit was reached.'),
    retryOverflow: counter(OUTBOUND_METRIC.retryOverflow, "Retryable failures per outbound route not retried because the route's retry budget was spent."),
    faults: counter(OUTBOUND_METRIC.faultsInjected, 'Faults injected per outbound route: abort (answered by the proxy) or delay.'),
  };
}

function authzFamilies(registry: Registry): AuthzFamilies {
  const counter = (name: string, help: string) => new LightCounter({ name, help, registers: [registry] });
  return {
    httpAllow: counter(AUTHZ_METRIC.httpAllow, 'Inbound HTTP requests an authorization of the policy allowed.'),
    httpDeny: counter(AUTHZ_METRIC.httpDeny, 'Inbound HTTP requests no authorization of the policy allowed (403).'),
    httpRouteNotFound: counter(AUTHZ_METRIC.httpRouteNotFound, "Inbound HTTP requests no route of the server's policy matched (404)."),
    tcpAllow: counter(AUTHZ_METRIC.tcpAllow, 'Inbound opaque connections an authorization of the policy allowed.'),
    tcpDeny: counter(AUTHZ_METRIC.tcpDeny, 'Inbound opaque connections no authorization of the policy allowed (closed).'),
  };
}

function createTcpFamilies(registry: Registry, collect: () => void): TcpFamilies {
  const registers = [registry];
  return {
    opens: new LightCounter({ name: METRIC.tcpOpenTotal, help: 'Connections opened.', registers }),
    closes: new LightCounter({ name: METRIC.tcpCloseTotal, help: 'Connections closed.', registers }),
    open: new LightGauge({ name: METRIC.tcpOpenConnections, help: 'Connections currently open.', registers }),
    read: new LightCounter({ name: METRIC.tcpReadBytesTotal, help: 'Bytes read from the peer.', registers, collect }),
    written: new LightCounter({
      name: METRIC.tcpWriteBytesTotal,
      help: 'Bytes written to the peer.',
      registers,
      collect,
    }),
    duration: new LightHistogram({
      name: METRIC.tcpConnectionDurationMs,
      help: 'Connection lifetimes, in milliseconds, observed when connections close.',
      buckets: TCP_DURATION_BUCKETS_MS,
      registers,
    }),
  };
}
