import { CLASSIFICATIONS, type Classification, type Direction, LABEL } from '@meshviz/mesh-types';
import { Children, type Labels, SweptEntries } from './children.js';
import type { LightCounter, LightHistogram } from './light-metrics.js';

/** Labels: direction, dst, rt_route; responses add status_code and classification, latency status_code. */
export interface RouteFamilies {
  readonly requests: LightCounter;
  readonly responses: LightCounter;
  readonly latency: LightHistogram;
  readonly actualRequests: LightCounter;
  readonly actualResponses: LightCounter;
}

type Inc = { inc(value?: number): void };
type Observe = { observe(value: number): void };

/**
 * The route_* families, per (direction, dst, rt_route). The plain families count what the caller saw, once per
 * request; the actual ones count every attempt on the wire, retries included. Idle series are removed like the
 * HTTP ones (PROXY_METRICS_IDLE_TIMEOUT).
 */
export class RouteSeries {
  private readonly entries: SweptEntries<RouteEntry>;

  constructor(
    private readonly families: RouteFamilies,
    idleTimeoutMs: number,
  ) {
    this.entries = new SweptEntries(idleTimeoutMs);
  }

  get(direction: Direction, dst: string, route: string): RouteEntry {
    const key = `${direction}\u0000${dst}\u0000${route}`;
    return this.entries.get(
      key,
      () => new RouteEntry(this.families, { [LABEL.direction]: direction, [LABEL.dst]: dst, [LABEL.rtRoute]: route }),
    );
  }

  sweep(now: number): void {
    this.entries.sweep(now);
  }

  close(): void {
    this.entries.close();
  }
}

export class RouteEntry {
  private readonly requests: Children<Inc>;
  private readonly responses: Children<Inc>;
  private readonly latency: Children<Observe>;
  private readonly actualRequests: Children<Inc>;
  private readonly actualResponses: Children<Inc>;
  /** Requests or attempts still waiting for their response; an entry with some is never swept. */
  private open = 0;

  constructor(
    families: RouteFamilies,
    private readonly labels: Labels,
  ) {
    this.requests = new Children(families.requests);
    this.responses = new Children(families.responses);
    this.latency = new Children(families.latency);
    this.actualRequests = new Children(families.actualRequests);
    this.actualResponses = new Children(families.actualResponses);
  }

  countRequest(): void {
    this.open += 1;
    (this.requests.find(0) ?? this.requests.add(0, this.labels)).inc();
  }

  observeLatency(status: number, ms: number): void {
    (this.latency.find(status) ?? this.latency.add(status, { ...this.labels, [LABEL.statusCode]: String(status) })).observe(ms);
  }

  /** `status` null: nothing was answered (the client left first). */
  countResponse(status: number | null, classification: Classification): void {
    this.open = Math.max(0, this.open - 1);
    const key = responseKey(status, classification);
    (this.responses.find(key) ?? this.responses.add(key, this.responseLabels(status, classification))).inc();
  }

  countAttempt(): void {
    this.open += 1;
    (this.actualRequests.find(0) ?? this.actualRequests.add(0, this.labels)).inc();
  }

  countAttemptResponse(status: number | null, classification: Classification): void {
    this.open = Math.max(0, this.open - 1);
    const key = responseKey(status, classification);
    (this.actualResponses.find(key) ?? this.actualResponses.add(key, this.responseLabels(status, classification))).inc();
  }

  sweep(cutoff: number): boolean {
    const empty = [this.responses, this.latency, this.actualResponses].map((c) => c.sweep(cutoff)).every(Boolean);
    if (this.open > 0) return false;
    // Request counters go last, so a series never shows responses without the requests they answer.
    return empty && this.requests.sweep(cutoff) && this.actualRequests.sweep(cutoff);
  }

  private responseLabels(status: number | null, classification: Classification): Labels {
    const labels: Labels = { ...this.labels, [LABEL.classification]: classification };
    if (status !== null) labels[LABEL.statusCode] = String(status);
    return labels;
  }
}

/** A number for the common case (a status was answered), so counting a response builds no key string. */
function responseKey(status: number | null, classification: Classification): number | string {
  const index = CLASSIFICATIONS.indexOf(classification);
  return status === null ? `\u0000${classification}` : status * 16 + index;
}
