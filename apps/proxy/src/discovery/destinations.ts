import { DestinationsFile } from '@meshviz/mesh-types';
import { formatHostPort, type HostPort } from '@meshviz/runtime';
import type { BreakerListener, EndpointPool } from '../balance/pool.js';
import type { RetryBudget } from '../retry/budget.js';
import { type AddressTarget, type ServiceTarget, TableBuild } from './build.js';
import { FirstTable } from './first-table.js';

export type { AddressTarget, ServiceTarget } from './build.js';

export interface TableOptions {
  /** Told of every breaker transition of every pool (metrics, logs). */
  readonly onTransition?: BreakerListener;
  /** The destination stream feeds this table: nothing is known until its first message. */
  readonly awaitFirst?: boolean;
  /** How long a request waits for that first message. */
  readonly initialWaitMs?: number;
}

/**
 * The outbound side's view of discovery: authority → service, endpoints, routes and balancers. Everything is built
 * once per update (targets, metric keys, compiled routes), then swapped in with one assignment, so a request sees
 * either the old table or the new one. Balancers (EndpointPool) carry over from one table to the next with the
 * state of every endpoint that stays: its round-trip estimate, requests in flight, breaker; so do the retry
 * budgets of outbound routes that stay.
 */
export class DestinationsTable {
  private services = new Map<string, ServiceTarget>();
  private addresses: ReadonlyMap<string, AddressTarget> = new Map();
  private pools: ReadonlyMap<string, EndpointPool> = new Map();
  private budgets: ReadonlyMap<string, RetryBudget> = new Map();
  private readonly first: FirstTable;
  private readonly onTransition: BreakerListener;

  constructor(options: TableOptions = {}) {
    this.onTransition = options.onTransition ?? (() => {});
    this.first = new FirstTable(options.awaitFirst ?? false, options.initialWaitMs ?? 0);
  }

  /** Finds the service for a host (no port; ports are ignored when matching). */
  lookup(host: string): ServiceTarget | undefined {
    return this.services.get(host);
  }

  /**
   * What a connection's original destination stands for: a service by one of its cluster IPs (any port), else an
   * endpoint by its exact host:port; undefined for an address discovery does not know.
   */
  lookupAddress(addr: HostPort): AddressTarget | undefined {
    const key = formatHostPort(addr);
    return this.addresses.get(key.slice(0, key.lastIndexOf(':'))) ?? this.addresses.get(key);
  }

  get size(): number {
    return this.services.size;
  }

  /** Whether a table is in force (always, unless the table waits for the destination stream's first message). */
  get settled(): boolean {
    return this.first.settled;
  }

  /** Resolves true once a table is in force, false when none came within the initial wait. */
  whenSettled(): Promise<boolean> {
    return this.first.wait();
  }

  /** The balancers of the table in force (for the balancer gauge). */
  balancers(): Iterable<EndpointPool> {
    return this.pools.values();
  }

  /**
   * Builds and swaps in a new table. Throws, keeping the current one, when an entry is malformed (naming it);
   * returns the problems that do not stop it (e.g. a route backend discovery does not list).
   */
  replace(file: DestinationsFile, now: number = performance.now()): string[] {
    const build = new TableBuild(this.pools, this.budgets, this.onTransition);
    build.build(file);
    this.pools = build.commit(now);
    this.budgets = build.budgets;
    this.services = build.services;
    this.addresses = build.addresses;
    this.first.settle();
    return build.warnings;
  }

  /** Stops every balancer's timers (shutdown). */
  close(): void {
    for (const pool of this.pools.values()) pool.close();
  }
}

/** Validates raw file text; throws an Error whose message says what is wrong. */
export function parseDestinations(text: string): DestinationsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  const result = DestinationsFile.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`does not match the destinations schema: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}
