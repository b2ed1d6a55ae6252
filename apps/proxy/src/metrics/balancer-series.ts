import { OUTBOUND_LABEL } from '@meshviz/mesh-types';
import type { BreakerState } from '../balance/endpoint-state.js';
import type { EndpointPool } from '../balance/pool.js';
import { Children, type Labels, type Sweepable, SweptEntries } from './children.js';
import type { LightCounter, LightGauge } from './light-metrics.js';

/**
 * outbound_http_balancer_endpoints: parent_namespace, parent_name, backend_namespace, backend_name, endpoint_state
 * (ready, or pending: tripped or in probation). outbound_http_balancer_breaker_transitions_total: the pool labels +
 * endpoint (host:port), state (tripped, probation, closed).
 */
export interface BalancerFamilies {
  readonly endpoints: LightGauge;
  readonly transitions: LightCounter;
}

export function poolLabels(pool: EndpointPool): Labels {
  return {
    [OUTBOUND_LABEL.parentNamespace]: pool.parent.namespace,
    [OUTBOUND_LABEL.parentName]: pool.parent.name,
    [OUTBOUND_LABEL.backendNamespace]: pool.backend.namespace,
    [OUTBOUND_LABEL.backendName]: pool.backend.name,
  };
}

type Inc = { inc(value?: number): void };

class PoolTransitions implements Sweepable {
  private readonly children: Children<Inc>;

  constructor(
    transitions: LightCounter,
    private readonly labels: Labels,
  ) {
    this.children = new Children(transitions);
  }

  count(endpoint: string, state: BreakerState): void {
    this.children
      .get(`${endpoint}\u0000${state}`, () => ({ ...this.labels, [OUTBOUND_LABEL.endpoint]: endpoint, [OUTBOUND_LABEL.state]: state }))
      .inc();
  }

  sweep(cutoff: number): boolean {
    return this.children.sweep(cutoff);
  }
}

/**
 * The balancer families. The endpoint gauge is computed when scraped from the pools discovery holds now (only those
 * that carried traffic), so it can never show a pool or endpoint that is gone; transitions are counted as they
 * happen and swept when idle.
 */
export class BalancerSeries {
  private readonly transitions: SweptEntries<PoolTransitions>;
  private pools: () => Iterable<EndpointPool> = () => [];

  constructor(
    private readonly families: BalancerFamilies,
    idleTimeoutMs: number,
  ) {
    this.transitions = new SweptEntries(idleTimeoutMs);
  }

  /** Where the gauge reads the pools from (the destinations table). */
  watch(pools: () => Iterable<EndpointPool>): void {
    this.pools = pools;
  }

  /** Brings the gauge up to date; the gauge's collect hook. */
  collect(): void {
    const gauge = this.families.endpoints;
    gauge.reset();
    for (const pool of this.pools()) {
      if (!pool.active) continue;
      const { ready, pending } = pool.counts();
      const labels = poolLabels(pool);
      gauge.labels({ ...labels, [OUTBOUND_LABEL.endpointState]: 'ready' }).value = ready;
      gauge.labels({ ...labels, [OUTBOUND_LABEL.endpointState]: 'pending' }).value = pending;
    }
  }

  transition(pool: EndpointPool, endpoint: string, state: BreakerState): void {
    this.transitions.get(pool.key, () => new PoolTransitions(this.families.transitions, poolLabels(pool))).count(endpoint, state);
  }

  sweep(now: number): void {
    this.transitions.sweep(now);
  }

  close(): void {
    this.transitions.close();
  }
}
