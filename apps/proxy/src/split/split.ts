import type { EndpointPool, ServiceRef } from '../balance/pool.js';

/** One backend of a route: its balancer (as seen from the route's Service) and its share. */
export interface WeightedBackend {
  readonly pool: EndpointPool;
  /** The same balancer as a route target's backend, built once. */
  readonly balanced: { readonly kind: 'balanced'; readonly pool: EndpointPool };
  readonly ref: ServiceRef;
  /** The metrics key of the backend (its authority). */
  readonly key: string;
  readonly weight: number;
}

/**
 * Smooth weighted round robin over a route's backends: every pick adds each backend's weight to its credit, takes
 * the backend with the most credit and charges it the total. Over any run of `sum(weights)` picks each backend gets
 * exactly its weight, interleaved rather than in blocks (weights 3:1 give a a a b, not a a a … b b b), and there is
 * no randomness to blur the measured split. Backends of weight 0 are never picked; with no weight at all, nothing is.
 */
export class BackendSplit {
  readonly backends: readonly WeightedBackend[];
  private readonly credit: number[];
  private readonly total: number;

  constructor(backends: readonly WeightedBackend[]) {
    this.backends = backends;
    this.credit = backends.map(() => 0);
    this.total = backends.reduce((sum, b) => sum + b.weight, 0);
  }

  pick(): WeightedBackend | undefined {
    const { backends, credit } = this;
    if (backends.length === 1) return backends[0]!.weight > 0 ? backends[0] : undefined;
    if (this.total <= 0) return undefined;
    let best = -1;
    for (let i = 0; i < backends.length; i++) {
      const weight = backends[i]!.weight;
      if (weight === 0) continue;
      credit[i]! += weight;
      if (best < 0 || credit[i]! > credit[best]!) best = i;
    }
    credit[best]! -= this.total;
    return backends[best];
  }
}
