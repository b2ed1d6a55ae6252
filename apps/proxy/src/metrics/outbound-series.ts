import { OUTBOUND_LABEL, type ProxyErrorKind, TIMEOUT_ERRORS } from '@meshviz/mesh-types';
import type { ServiceRef } from '../balance/pool.js';
import { Children, type Labels, type Sweepable, SweptEntries } from './children.js';
import type { LightCounter } from './light-metrics.js';

/**
 * outbound_http_route_request_statuses_total: parent_namespace, parent_name, route_kind, route_name, http_status,
 * error. outbound_http_route_backend_requests_total: the route labels + backend_namespace, backend_name;
 * outbound_http_route_backend_response_statuses_total adds http_status and error. The four retry families and
 * outbound_http_route_faults_injected_total (+ fault): the route labels.
 */
export interface OutboundFamilies {
  readonly statuses: LightCounter;
  readonly backendRequests: LightCounter;
  readonly backendStatuses: LightCounter;
  readonly retryRequests: LightCounter;
  readonly retrySuccesses: LightCounter;
  readonly retryLimitExceeded: LightCounter;
  readonly retryOverflow: LightCounter;
  readonly faults: LightCounter;
}

/** A route of a parent Service, as the outbound families label it; built once per discovery update. */
export interface RouteRef {
  readonly parent: ServiceRef;
  readonly kind: string;
  readonly name: string;
  /** Stable across updates for the same parent and route, so series carry over. */
  readonly key: string;
}

/** A backend as the families label it. */
export interface BackendRef {
  readonly ref: ServiceRef;
  readonly key: string;
}

export type RetryEvent = 'requests' | 'successes' | 'limitExceeded' | 'overflow';

const TIMEOUT_LABELS: Partial<Record<ProxyErrorKind, string>> = {
  request_timeout: TIMEOUT_ERRORS.request,
  response_timeout: TIMEOUT_ERRORS.response,
  idle_timeout: TIMEOUT_ERRORS.idle,
};

/** The `error` label: "" for an answer that arrived whole, the timeout's name, or the proxy's error kind. */
export function errorLabel(kind: ProxyErrorKind | undefined): string {
  if (kind === undefined) return '';
  return TIMEOUT_LABELS[kind] ?? kind;
}

/** The outbound route families, per route; idle series are removed like the others (PROXY_METRICS_IDLE_TIMEOUT). */
export class OutboundSeries {
  private readonly entries: SweptEntries<OutboundRouteEntry>;

  constructor(
    private readonly families: OutboundFamilies,
    idleTimeoutMs: number,
  ) {
    this.entries = new SweptEntries(idleTimeoutMs);
  }

  route(ref: RouteRef): OutboundRouteEntry {
    return this.entries.get(ref.key, () => new OutboundRouteEntry(this.families, routeLabels(ref)));
  }

  sweep(now: number): void {
    this.entries.sweep(now);
  }

  close(): void {
    this.entries.close();
  }
}

export function routeLabels(ref: RouteRef): Labels {
  return {
    [OUTBOUND_LABEL.parentNamespace]: ref.parent.namespace,
    [OUTBOUND_LABEL.parentName]: ref.parent.name,
    [OUTBOUND_LABEL.routeKind]: ref.kind,
    [OUTBOUND_LABEL.routeName]: ref.name,
  };
}

type Inc = { inc(value?: number): void };

export class OutboundRouteEntry implements Sweepable {
  private readonly statuses: Children<Inc>;
  private readonly backendRequests: Children<Inc>;
  private readonly backendStatuses: Children<Inc>;
  private readonly retries: Record<RetryEvent, Children<Inc>>;
  private readonly faults: Children<Inc>;
  /** Requests whose status is not counted yet; an entry with some is never swept. */
  private open = 0;

  constructor(
    families: OutboundFamilies,
    private readonly labels: Labels,
  ) {
    this.statuses = new Children(families.statuses);
    this.backendRequests = new Children(families.backendRequests);
    this.backendStatuses = new Children(families.backendStatuses);
    this.retries = {
      requests: new Children(families.retryRequests),
      successes: new Children(families.retrySuccesses),
      limitExceeded: new Children(families.retryLimitExceeded),
      overflow: new Children(families.retryOverflow),
    };
    this.faults = new Children(families.faults);
  }

  /** A request entered the route; its status follows with countStatus. */
  begin(): void {
    this.open += 1;
  }

  /** `status` null: nothing was answered (the client left first). */
  countStatus(status: number | null, error: ProxyErrorKind | undefined): void {
    this.open = Math.max(0, this.open - 1);
    const label = errorLabel(error);
    this.statuses.get(`${status ?? ''}\u0000${label}`, () => this.statusLabels(this.labels, status, label)).inc();
  }

  countBackend(backend: BackendRef): void {
    this.backendRequests.get(backend.key, () => this.backendLabels(backend)).inc();
  }

  countBackendStatus(backend: BackendRef, status: number | null, error: ProxyErrorKind | undefined): void {
    const label = errorLabel(error);
    this.backendStatuses
      .get(`${backend.key}\u0000${status ?? ''}\u0000${label}`, () => this.statusLabels(this.backendLabels(backend), status, label))
      .inc();
  }

  countRetry(event: RetryEvent): void {
    this.retries[event].get(0, () => this.labels).inc();
  }

  countFault(fault: 'abort' | 'delay'): void {
    this.faults.get(fault, () => ({ ...this.labels, [OUTBOUND_LABEL.fault]: fault })).inc();
  }

  sweep(cutoff: number): boolean {
    const children = [this.statuses, this.backendStatuses, this.backendRequests, this.faults, ...Object.values(this.retries)];
    const empty = children.map((c) => c.sweep(cutoff)).every(Boolean);
    return empty && this.open === 0;
  }

  private backendLabels(backend: BackendRef): Labels {
    return { ...this.labels, [OUTBOUND_LABEL.backendNamespace]: backend.ref.namespace, [OUTBOUND_LABEL.backendName]: backend.ref.name };
  }

  private statusLabels(base: Labels, status: number | null, error: string): Labels {
    return { ...base, [OUTBOUND_LABEL.httpStatus]: status === null ? '' : String(status), [OUTBOUND_LABEL.error]: error };
  }
}
