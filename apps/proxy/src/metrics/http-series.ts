import {
  CLASSIFICATIONS,
  type Classification,
  type Direction,
  LABEL,
  type ProxyErrorKind,
} from '@meshviz/mesh-types';
import type { AuthzDecision } from '../core/authz.js';
import type { Destination } from '../core/stage.js';
import { addTlsLabels, type TlsStatus } from '../core/tls-status.js';
import { SweptEntries } from './children.js';
import { addDestinationLabels } from './destination-labels.js';
import type { LightCounter, LightHistogram } from './light-metrics.js';

type Labels = Record<string, string>;

/**
 * request_total: direction, authority, tls, no_tls_reason, target_addr, and dst_namespace, dst_deployment,
 * dst_pod, dst_service on outbound requests to meshed services; inbound requests add the policy's srv_kind,
 * srv_name, srv_port, route_kind, route_name, authz_kind, authz_name; response_total adds status_code,
 * classification, grpc_status (gRPC) and error (proxy-classified failures); response_latency_ms adds
 * status_code and grpc_status. Children are built by HttpSeries.
 */
export interface HttpFamilies {
  readonly requests: LightCounter;
  readonly responses: LightCounter;
  readonly latency: LightHistogram;
}

interface Child<T> {
  readonly labels: Labels;
  readonly child: T;
  lastUsed: number;
}

/**
 * Label children are cached per (direction, authority, destination, tls, policy decision) and per status below
 * that, so a request
 * costs a few Map lookups and never builds label objects. Series that see no traffic for the idle timeout are
 * removed from the registry, which keeps /metrics bounded as endpoints and authorities come and go.
 */
export class HttpSeries {
  private readonly entries: SweptEntries<RequestSeries>;
  /** The series the last call returned, with what it was looked up by. */
  private last: LastLookup | undefined;

  constructor(
    private readonly families: HttpFamilies,
    idleTimeoutMs: number,
  ) {
    this.entries = new SweptEntries(idleTimeoutMs);
  }

  /** `authz`: the inbound policy's decision, whose labels (and key) the series adds; undefined outbound. */
  get(direction: Direction, authority: string, destination: Destination, tls: TlsStatus, authz?: AuthzDecision): RequestSeries {
    const authzKey = authz?.key ?? '';
    const last = this.last;
    // A sidecar's requests mostly go where the one before went: the same series, found without building its key.
    if (
      last !== undefined &&
      !last.series.removed &&
      last.authority === authority &&
      last.destinationKey === destination.key &&
      last.tlsKey === tls.key &&
      last.authzKey === authzKey &&
      last.direction === direction
    ) {
      return last.series;
    }
    const key = `${direction}\u0000${authority}\u0000${destination.key}\u0000${tls.key}\u0000${authzKey}`;
    const series = this.entries.get(
      key,
      () => new RequestSeries(this.families, requestLabels(direction, authority, destination, tls, authz)),
    );
    this.last = { series, direction, authority, destinationKey: destination.key, tlsKey: tls.key, authzKey };
    return series;
  }

  /** Removes series idle since before `now - idleTimeout`. Public so tests can drive it. */
  sweep(now: number): void {
    this.entries.sweep(now);
  }

  close(): void {
    this.entries.close();
  }
}

interface LastLookup {
  readonly series: RequestSeries;
  readonly direction: Direction;
  readonly authority: string;
  readonly destinationKey: string;
  readonly tlsKey: string;
  readonly authzKey: string;
}

export class RequestSeries {
  /** Swept from the registry: a later request builds a new series. */
  removed = false;
  private readonly request: Child<{ inc(value?: number): void }>;
  private readonly responses = new Map<number | string, Child<{ inc(value?: number): void }>>();
  private readonly latencies = new Map<number | string, Child<{ observe(value: number): void }>>();
  /** Requests counted whose response is not counted yet; a series with some is never swept (long streams). */
  private open = 0;

  constructor(
    private readonly families: HttpFamilies,
    private readonly labels: Labels,
  ) {
    this.request = { labels, child: families.requests.labels(labels), lastUsed: performance.now() };
  }

  countRequest(): void {
    this.open += 1;
    this.request.lastUsed = performance.now();
    this.request.child.inc();
  }

  /** `grpcStatus`: set for gRPC responses, whose latency is recorded once the status is known (at the end). */
  observeLatency(status: number, ms: number, grpcStatus?: number): void {
    // Plain HTTP keys by the number alone, so the common case builds no string.
    const key = grpcStatus === undefined ? status : `${status}\u0000${grpcStatus}`;
    let entry = this.latencies.get(key);
    if (!entry) {
      const labels: Labels = { ...this.labels, [LABEL.statusCode]: String(status) };
      if (grpcStatus !== undefined) labels[LABEL.grpcStatus] = String(grpcStatus);
      entry = { labels, child: this.families.latency.labels(labels), lastUsed: 0 };
      this.latencies.set(key, entry);
    }
    entry.lastUsed = performance.now();
    entry.child.observe(ms);
  }

  /**
   * `status` null: no response reached the client (it left first). `error`: set when the proxy classified a
   * failure. `grpcStatus`: gRPC responses only.
   */
  countResponse(
    status: number | null,
    classification: Classification,
    error: ProxyErrorKind | undefined,
    grpcStatus?: number,
  ): void {
    // Plain answers key by a number, so the common case builds no string.
    const key =
      status !== null && error === undefined && grpcStatus === undefined
        ? status * 16 + CLASSIFICATIONS.indexOf(classification)
        : `${status ?? ''}\u0000${classification}\u0000${error ?? ''}\u0000${grpcStatus ?? ''}`;
    let entry = this.responses.get(key);
    if (!entry) {
      const labels: Labels = { ...this.labels, [LABEL.classification]: classification };
      if (status !== null) labels[LABEL.statusCode] = String(status);
      if (error !== undefined) labels[LABEL.errorKind] = error;
      if (grpcStatus !== undefined) labels[LABEL.grpcStatus] = String(grpcStatus);
      entry = { labels, child: this.families.responses.labels(labels), lastUsed: 0 };
      this.responses.set(key, entry);
    }
    entry.lastUsed = performance.now();
    this.request.lastUsed = entry.lastUsed;
    this.open = Math.max(0, this.open - 1);
    entry.child.inc();
  }

  /** Drops idle children; returns true when the whole series is idle and was removed. */
  sweep(cutoff: number): boolean {
    for (const [key, entry] of this.responses) {
      if (entry.lastUsed < cutoff) {
        this.families.responses.remove(entry.labels);
        this.responses.delete(key);
      }
    }
    for (const [key, entry] of this.latencies) {
      if (entry.lastUsed < cutoff) {
        this.families.latency.remove(entry.labels);
        this.latencies.delete(key);
      }
    }
    const idle = this.open === 0 && this.request.lastUsed < cutoff;
    if (!idle || this.responses.size > 0 || this.latencies.size > 0) return false;
    this.families.requests.remove(this.request.labels);
    this.removed = true;
    return true;
  }
}

function requestLabels(
  direction: Direction,
  authority: string,
  destination: Destination,
  tls: TlsStatus,
  authz: AuthzDecision | undefined,
): Labels {
  const labels: Labels = { [LABEL.direction]: direction, [LABEL.authority]: authority };
  addTlsLabels(labels, direction, tls);
  addDestinationLabels(labels, destination);
  return authz ? Object.assign(labels, authz.labels) : labels;
}
