import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DestinationsFile,
  type FailureAccrual,
  NO_FAILURE_ACCRUAL,
  type OutboundConfig,
  type OutboundRoute,
  type ServiceDestination,
  serviceAuthority,
} from '@meshviz/mesh-types';
import type { ProxyConfig } from '../config.js';
import type { ProxyHandle } from '../proxy.js';
import { type Reply, type SendOptions, send, startUpstream, type Upstream } from './http-fixtures.js';
import { scrape } from './mesh.js';
import type { Sample } from './prom-text.js';
import { startTestProxy } from './test-config.js';

export const SHOP = 'shop';
export const authority = (service: string): string => serviceAuthority(service, SHOP);

/** A route matching every path, to its own service, with no timeouts, retries or faults unless given. */
export function outboundRoute(name: string, over: Partial<OutboundRoute> = {}): OutboundRoute {
  return {
    kind: 'HTTPRoute',
    name,
    matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [] }],
    backends: [],
    timeouts: { requestMs: null, responseMs: null, idleMs: null },
    retry: null,
    fault: null,
    ...over,
  };
}

export const consecutive = (over: Partial<FailureAccrual> = {}): FailureAccrual => ({
  kind: 'consecutive',
  maxFailures: 7,
  minPenaltyMs: 1_000,
  maxPenaltyMs: 60_000,
  jitter: 0,
  ...over,
});

/**
 * A Service of namespace `shop` whose endpoints are the given addresses (apps listening directly: plaintext
 * endpoints, as discovery without identity has them). With `routes`, it gets an outbound config; a route without
 * backends is given the service itself.
 */
export function shopService(
  name: string,
  addrs: readonly string[],
  outbound?: { routes: OutboundRoute[]; accrual?: FailureAccrual },
): ServiceDestination {
  const config: OutboundConfig | undefined = outbound && {
    routes: outbound.routes.map((r) => (r.backends.length > 0 ? r : { ...r, backends: [{ authority: authority(name), weight: 1 }] })),
    accrual: outbound.accrual ?? NO_FAILURE_ACCRUAL,
  };
  return {
    namespace: SHOP,
    service: name,
    endpoints: addrs.map((addr, i) => ({ addr, namespace: SHOP, deployment: name, pod: `${name}-${i}` })),
    ...(config ? { outbound: config } : {}),
  };
}

export const table = (services: Record<string, ServiceDestination>): DestinationsFile => ({
  services: Object.fromEntries(Object.entries(services).map(([name, s]) => [authority(name), s])),
});

export interface OutboundClient {
  readonly proxy: ProxyHandle;
  /** Replaces the destinations file (atomically, by rename) and waits past a poll. */
  write(file: DestinationsFile): Promise<void>;
  /** One request to a service of `shop` through the outbound side. */
  call(service: string, options?: SendOptions): Promise<Reply>;
  metrics(): Promise<Sample[]>;
  close(): Promise<void>;
}

/** A caller's proxy whose outbound side discovers `file`. */
export async function startOutboundClient(file: DestinationsFile, config: Partial<ProxyConfig> = {}): Promise<OutboundClient> {
  const dir = await mkdtemp(join(tmpdir(), 'meshviz-outbound-'));
  const path = join(dir, 'destinations.json');
  await writeFile(path, JSON.stringify(file));
  const proxy = await startTestProxy('127.0.0.1:1', { destinationsFile: path, ...config });
  let generation = 0;
  return {
    proxy,
    write: async (next) => {
      const temp = join(dir, `next-${++generation}.json`);
      await writeFile(temp, JSON.stringify(next));
      await rename(temp, path);
      await new Promise((r) => setTimeout(r, 200));
    },
    call: (service, options = {}) =>
      send(proxy.addresses.outbound, { ...options, headers: { host: authority(service), ...options.headers } }),
    metrics: () => scrape(proxy),
    close: async () => {
      await proxy.shutdown();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An app that counts the requests it gets and answers through `handler`. */
export interface CountingApp extends Upstream {
  readonly count: () => number;
}

export async function startApp(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<CountingApp> {
  let seen = 0;
  const app = await startUpstream((req, res) => {
    seen += 1;
    handler(req, res);
  });
  return Object.assign(app, { count: () => seen });
}

/** An app that numbers the attempts of each request (by its `x-id` header) and hands each, body read whole, on. */
export function startAttemptsApp(
  handle: (attempt: number, body: Buffer, req: IncomingMessage, res: ServerResponse) => void,
): Promise<CountingApp> {
  const seen = new Map<string, number>();
  return startApp((req, res) => {
    const id = String(req.headers['x-id']);
    const attempt = (seen.get(id) ?? 0) + 1;
    seen.set(id, attempt);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(attempt, Buffer.concat(chunks), req, res));
  });
}

/** Answers `status` after `ms`, with the request body echoed. */
export function answer(status: number, ms = 0): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => {
        res.statusCode = status;
        res.end(Buffer.concat(chunks));
      }, ms),
    );
  };
}

/** The route labels of the outbound families for a route of a `shop` service. */
export const routeOf = (parent: string, route: string): Record<string, string> => ({
  parent_namespace: SHOP,
  parent_name: parent,
  route_kind: 'HTTPRoute',
  route_name: route,
});
