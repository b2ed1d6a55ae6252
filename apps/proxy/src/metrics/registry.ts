import { LABEL, LATENCY_BUCKETS_MS, METRIC } from '@meshviz/mesh-types';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { HttpSeries } from './http-series.js';

/** Labels every HTTP family carries; dst_* only on outbound requests to meshed services. */
export const REQUEST_LABELS = [
  LABEL.direction,
  LABEL.authority,
  LABEL.tls,
  LABEL.noTlsReason,
  LABEL.targetAddr,
  LABEL.dstNamespace,
  LABEL.dstDeployment,
  LABEL.dstPod,
  LABEL.dstService,
] as const;
export const RESPONSE_LABELS = [
  ...REQUEST_LABELS,
  LABEL.statusCode,
  LABEL.classification,
  LABEL.grpcStatus,
  LABEL.errorKind,
] as const;
export const LATENCY_LABELS = [...REQUEST_LABELS, LABEL.statusCode] as const;

export interface HttpFamilies {
  readonly requests: Counter<(typeof REQUEST_LABELS)[number]>;
  readonly responses: Counter<(typeof RESPONSE_LABELS)[number]>;
  readonly latency: Histogram<(typeof LATENCY_LABELS)[number]>;
}

export interface ProxyMetrics {
  /** The proxy's own registry; the global prom-client registry is never used. */
  readonly registry: Registry;
  readonly http: HttpSeries;
  close(): void;
}

/** Creates the registry with the telemetry contract's families (DESIGN §3), process metrics and build info. */
export function createProxyMetrics(options: { idleTimeoutMs: number; version: string }): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const buildInfo = new Gauge({
    name: METRIC.proxyBuildInfo,
    help: 'Proxy build information; always 1.',
    labelNames: ['version'],
    registers: [registry],
  });
  buildInfo.set({ version: options.version }, 1);

  const families: HttpFamilies = {
    requests: new Counter({
      name: METRIC.requestTotal,
      help: 'Total count of HTTP requests.',
      labelNames: REQUEST_LABELS,
      registers: [registry],
    }),
    responses: new Counter({
      name: METRIC.responseTotal,
      help: 'Total count of HTTP responses, counted when the response stream ends.',
      labelNames: RESPONSE_LABELS,
      registers: [registry],
    }),
    latency: new Histogram({
      name: METRIC.responseLatencyMs,
      help: 'Elapsed times between a request being received and its response headers, in milliseconds.',
      labelNames: LATENCY_LABELS,
      buckets: [...LATENCY_BUCKETS_MS],
      registers: [registry],
    }),
  };
  const http = new HttpSeries(families, options.idleTimeoutMs);
  return { registry, http, close: () => http.close() };
}
