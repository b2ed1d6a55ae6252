import type { FailureAccrual } from '@meshviz/mesh-types';
import type { Destination } from '../core/stage.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { type BreakerState, connectBackoffMs, EndpointState, penaltyMs } from './endpoint-state.js';
import { pickEndpoint } from './p2c.js';

/** A Service as the outbound families name it (parent_* and backend_*). */
export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
}

/** How one request ended for the breaker: neutral results (the caller gave up) neither trip nor close it. */
export type Outcome = 'success' | 'failure' | 'neutral';

/** Told of every breaker transition (metrics, logs). */
export type BreakerListener = (pool: EndpointPool, endpoint: EndpointState, to: BreakerState, penaltyMs?: number) => void;

/**
 * The endpoints of one backend as seen from one parent Service (the pair the outbound_http_balancer_* families
 * label): each endpoint's state, and which of them may take a request now. Discovery updates replace the endpoint
 * list but keep the state of every endpoint that stays (matched by its destination key).
 *
 * Failure accrual `consecutive`: `maxFailures` failures in a row trip an endpoint's breaker: it takes nothing for
 * its penalty (minPenalty doubling per consecutive trip up to maxPenalty, ± jitter), then is in probation, where
 * the next request goes to it and nothing else does until that one ends: success closes the breaker, failure trips
 * it again with the next penalty. A timer runs per trip, never per request.
 *
 * Whatever the accrual, an endpoint whose connection attempt failed (refused, timed out, unreachable) waits out a
 * connect backoff (CONNECT_BACKOFF) before it is offered again, and is pending meanwhile: a dead replica answers
 * refusals fast, and its low round-trip estimate would otherwise draw requests to it. While every endpoint waits,
 * they are offered anyway (a connection may succeed sooner than nothing at all).
 */
export class EndpointPool {
  /** Set once it has been asked for an endpoint: only pools that carried traffic are reported. */
  active = false;
  private states = new Map<string, EndpointState>();
  private ready: EndpointState[] = [];
  /** Closed endpoints in connect backoff: offered only while none is ready. */
  private waiting: EndpointState[] = [];
  private probation: EndpointState[] = [];
  private pickedAt = 0;
  private readonly cost = (state: EndpointState): number => state.cost(this.pickedAt);

  constructor(
    readonly key: string,
    readonly parent: ServiceRef,
    readonly backend: ServiceRef,
    public destination: Destination,
    public accrual: FailureAccrual,
    private readonly onTransition: BreakerListener,
    private readonly random: () => number = Math.random,
  ) {}

  /** Takes a new endpoint list (and accrual) from discovery, keeping the state of endpoints that remain. */
  update(targets: readonly EndpointTarget[], accrual: FailureAccrual, destination: Destination, now: number): void {
    const next = new Map<string, EndpointState>();
    for (const target of targets) {
      const key = target.destination.key;
      let state = next.get(key) ?? this.states.get(key);
      if (state) state.target = target;
      else state = new EndpointState(target, now);
      next.set(key, state);
    }
    for (const [key, state] of this.states) if (!next.has(key)) clearTimers(state);
    this.states = next;
    this.accrual = accrual;
    this.destination = destination;
    if (accrual.kind === 'none') {
      for (const state of next.values()) if (state.breaker !== 'closed') this.closeBreaker(state);
    }
    this.refresh();
  }

  /**
   * An endpoint for the next request: one awaiting its probe first, else the cheaper of two ready ones, else of two
   * in connect backoff. `exclude`: endpoints this request already failed to connect to (never offered again to it).
   * `avoid`: keys of endpoints earlier attempts of the request went to (a retry), passed over while another can
   * take it.
   */
  pick(now: number, exclude?: ReadonlySet<EndpointState>, avoid?: ReadonlySet<string>): EndpointState | undefined {
    this.active = true;
    this.pickedAt = now;
    if (avoid !== undefined && avoid.size > 0) {
      const fresh = this.offered((state) => !exclude?.has(state) && !avoid.has(state.target.destination.key));
      if (fresh.length > 0) return pickEndpoint(fresh, this.cost, this.random);
    }
    if (exclude) return pickEndpoint(this.offered((state) => !exclude.has(state)), this.cost, this.random);
    const probe = this.probation.shift();
    if (probe) {
      probe.probing = true;
      return probe;
    }
    return pickEndpoint(this.ready.length > 0 ? this.ready : this.waiting, this.cost, this.random);
  }

  /** The ready endpoints that pass `ok`, else those in connect backoff that do. */
  private offered(ok: (state: EndpointState) => boolean): EndpointState[] {
    const ready = this.ready.filter(ok);
    return ready.length > 0 ? ready : this.waiting.filter(ok);
  }

  /** A connection to `state` could not be made: it waits out its connect backoff before it is offered again. */
  connectFailed(state: EndpointState): void {
    if (this.states.get(state.target.destination.key) !== state) return;
    state.connectFailures += 1;
    clearTimeout(state.backoff);
    state.backoff = setTimeout(() => {
      state.backoff = undefined;
      this.refresh();
    }, connectBackoffMs(state.connectFailures, this.random)).unref();
    this.refresh();
  }

  /** `state` answered: its connection works, so its connect backoff starts again from the minimum. */
  connected(state: EndpointState): void {
    if (state.connectFailures === 0) return;
    state.connectFailures = 0;
    if (state.backoff === undefined) return;
    clearTimeout(state.backoff);
    state.backoff = undefined;
    this.refresh();
  }

  /** Records how a request to `state` ended; `probe`: it was the one request of a probation. */
  record(state: EndpointState, outcome: Outcome, probe: boolean): void {
    if (this.accrual.kind === 'none' || this.states.get(state.target.destination.key) !== state) return;
    if (probe && state.breaker === 'probation') {
      if (outcome === 'success') this.closeBreaker(state);
      else if (outcome === 'failure') this.trip(state);
      else {
        // The caller gave up before the endpoint could prove anything: the next request probes instead.
        state.probing = false;
        this.refresh();
      }
      return;
    }
    if (state.breaker !== 'closed' || outcome === 'neutral') return;
    if (outcome === 'success') state.failures = 0;
    else if (++state.failures >= this.accrual.maxFailures) this.trip(state);
  }

  /** Endpoints that take traffic (closed breakers) and those that do not (in connect backoff, tripped, in probation). */
  counts(): { ready: number; pending: number } {
    return { ready: this.ready.length, pending: this.states.size - this.ready.length };
  }

  get endpoints(): readonly EndpointState[] {
    return [...this.states.values()];
  }

  /** Stops the penalty timers (the pool left discovery). */
  close(): void {
    for (const state of this.states.values()) clearTimers(state);
  }

  private trip(state: EndpointState): void {
    state.breaker = 'tripped';
    state.failures = 0;
    state.probing = false;
    state.trips += 1;
    const ms = penaltyMs(this.accrual, state.trips, this.random);
    clearTimeout(state.penalty);
    state.penalty = setTimeout(() => this.toProbation(state), ms).unref();
    this.refresh();
    this.onTransition(this, state, 'tripped', ms);
  }

  private toProbation(state: EndpointState): void {
    state.penalty = undefined;
    if (state.breaker !== 'tripped' || this.states.get(state.target.destination.key) !== state) return;
    state.breaker = 'probation';
    state.probing = false;
    this.refresh();
    this.onTransition(this, state, 'probation');
  }

  private closeBreaker(state: EndpointState): void {
    clearTimeout(state.penalty);
    state.penalty = undefined;
    state.breaker = 'closed';
    state.failures = 0;
    state.trips = 0;
    state.probing = false;
    this.refresh();
    this.onTransition(this, state, 'closed');
  }

  /** Rebuilds the lists `pick` reads; only on discovery updates and breaker transitions, never per request. */
  private refresh(): void {
    const ready: EndpointState[] = [];
    const waiting: EndpointState[] = [];
    const probation: EndpointState[] = [];
    for (const state of this.states.values()) {
      if (state.breaker === 'closed') (state.backoff === undefined ? ready : waiting).push(state);
      else if (state.breaker === 'probation' && !state.probing) probation.push(state);
    }
    this.ready = ready;
    this.waiting = waiting;
    this.probation = probation;
  }
}

function clearTimers(state: EndpointState): void {
  clearTimeout(state.penalty);
  clearTimeout(state.backoff);
}
