import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationsFile, RouteTable } from '@meshviz/mesh-types';
import type { ProxyConfig } from '../config.js';
import type { ProxyHandle } from '../proxy.js';
import { getText } from './http-fixtures.js';
import { parseSamples, type Sample } from './prom-text.js';
import { startTestProxy } from './test-config.js';

export const CATALOG = 'catalog.bookshop.svc.cluster.local';

export interface MeshOptions {
  /** host:port of each replica's app; each gets its own inbound proxy. */
  readonly apps: readonly string[];
  /** The service's route table in discovery (outbound route metrics and retries). */
  readonly routes?: RouteTable;
  /** PROXY_INBOUND_ROUTES of every replica proxy. */
  readonly inboundRoutes?: RouteTable;
  /** Endpoint addresses listed in discovery with no proxy behind them (to make connects fail). */
  readonly deadEndpoints?: readonly string[];
  readonly client?: Partial<ProxyConfig>;
  readonly replica?: Partial<ProxyConfig>;
  /** Per-replica overrides (e.g. each replica's identity), on top of `replica`. */
  readonly replicaAt?: (index: number) => Partial<ProxyConfig>;
  /** The identity discovery names for each endpoint (meshed: callers open mTLS and check it). */
  readonly endpointIdentity?: (index: number) => string | undefined;
}

export interface Mesh {
  /** The caller's proxy: send to client.addresses.outbound with Host/:authority CATALOG. */
  readonly client: ProxyHandle;
  readonly replicas: readonly ProxyHandle[];
  readonly dir: string;
  close(): Promise<void>;
}

/** Replicas of the catalog service, each app behind an inbound proxy, and a client proxy that discovers them. */
export async function startMesh(options: MeshOptions): Promise<Mesh> {
  const dir = await mkdtemp(join(tmpdir(), 'meshviz-mesh-'));
  const replicas: ProxyHandle[] = [];
  for (const app of options.apps) {
    const at = options.replicaAt?.(replicas.length);
    replicas.push(await startTestProxy(app, { inboundRoutes: options.inboundRoutes ?? [], ...options.replica, ...at }));
  }
  const file = join(dir, 'destinations.json');
  const destinations: DestinationsFile = {
    services: {
      [CATALOG]: {
        namespace: 'bookshop',
        service: 'catalog',
        endpoints: [...replicas.map((r) => r.addresses.inbound), ...(options.deadEndpoints ?? [])].map((addr, i) => {
          const identity = options.endpointIdentity?.(i);
          return { addr, namespace: 'bookshop', deployment: 'catalog', pod: `catalog-${i}`, ...(identity ? { identity } : {}) };
        }),
        ...(options.routes ? { routes: options.routes } : {}),
      },
    },
  };
  await writeFile(file, JSON.stringify(destinations));
  const client = await startTestProxy('127.0.0.1:1', { destinationsFile: file, ...options.client });
  return {
    client,
    replicas,
    dir,
    close: async () => {
      await Promise.all([client, ...replicas].map((p) => p.shutdown()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Everything a proxy's /metrics shows right now. */
export async function scrape(proxy: ProxyHandle): Promise<Sample[]> {
  return parseSamples((await getText(proxy.addresses.admin, '/metrics')).text);
}
