import {
  type CompiledAuthorization,
  type CompiledRoute,
  compileDefaultPort,
  defaultAuthorizations,
  type InboundPolicy,
  type PolicyWorkload,
  type PortPolicy,
  PROBE_AUTHORIZATION,
  type ProxyProtocol,
} from '@meshviz/mesh-types';
import { compileAuthorizationPolicy, indexResources, type PolicyIndex } from './authorizations.js';
import { coveringServers } from './coverage.js';
import type { PolicyResource, Server } from './resources.js';
import { orderRouteMatches, routeMatches } from './route-matches.js';

export interface CompileContext {
  readonly trustDomain: string;
  readonly clusterNetworks: readonly string[];
  readonly revision: number;
}

/** Protocols a probe (an HTTP GET) can reach; gRPC ports are probed with gRPC, opaque and TLS ones not as HTTP. */
const PROBED: readonly ProxyProtocol[] = ['unknown', 'HTTP/1', 'HTTP/2'];

function probeRoute(probePaths: readonly string[]): CompiledRoute {
  return {
    kind: 'default',
    name: 'probe',
    matches: probePaths.map((value) => ({ path: { type: 'Exact' as const, value }, method: 'GET', headers: [] })),
    authorizations: [PROBE_AUTHORIZATION],
  };
}

/** Compiled AuthorizationPolicies of the workload's namespace that target `kind`/`name`, by policy name. */
function targeting(index: PolicyIndex, namespace: string, kind: string, name: string, trustDomain: string) {
  return index.authorizationPolicies
    .filter((p) => p.metadata.namespace === namespace && p.spec.targetRef.kind === kind && p.spec.targetRef.name === name)
    .map((p) => compileAuthorizationPolicy(p, index, trustDomain));
}

function serverPort(server: Server, port: number, workload: PolicyWorkload, index: PolicyIndex, ctx: CompileContext): PortPolicy {
  const ns = workload.namespace;
  const name = server.metadata.name;
  const protocol = server.spec.proxyProtocol;
  // The Server's access policy stands behind every authorization: appended last, so a policy that names the client
  // is the one counted.
  const shared: CompiledAuthorization[] = [
    ...targeting(index, ns, 'Server', name, ctx.trustDomain),
    ...targeting(index, ns, 'Namespace', ns, ctx.trustDomain),
    ...defaultAuthorizations(server.spec.accessPolicy, ctx.clusterNetworks),
  ];
  const base = { port, protocol, server: { kind: 'server' as const, name }, authorizations: shared };
  if (protocol === 'opaque' || protocol === 'TLS') return { ...base, routes: [] };

  const attached = [...index.httpRoutes, ...index.grpcRoutes].filter(
    (r) => r.metadata.namespace === ns && r.spec.parentRefs.some((p) => p.kind === 'Server' && p.name === name),
  );
  if (attached.length === 0) {
    const routes: CompiledRoute[] = [];
    if (PROBED.includes(protocol) && workload.probePaths.length > 0) routes.push(probeRoute(workload.probePaths));
    routes.push({ kind: 'default', name: 'default', matches: [{ headers: [] }], authorizations: [...shared] });
    return { ...base, routes };
  }
  // Consecutive matches of one route share one compiled route; a route whose matches interleave with another's
  // appears more than once, under the same kind and name.
  const routes: CompiledRoute[] = [];
  for (const m of orderRouteMatches(attached.flatMap(routeMatches))) {
    const last = routes.at(-1);
    if (last && last.kind === m.route.kind && last.name === m.route.metadata.name) {
      last.matches.push(m.match);
      continue;
    }
    const own = targeting(index, ns, m.route.kind, m.route.metadata.name, ctx.trustDomain);
    routes.push({ kind: m.route.kind, name: m.route.metadata.name, matches: [m.match], authorizations: [...own, ...shared] });
  }
  return { ...base, routes };
}

/**
 * The inbound policy of one workload: each of its ports compiled from the Server covering it (the first by name
 * when several do), or from the workload's default policy when none does. Ports come in port order.
 */
export function compileInboundPolicy(
  resources: readonly PolicyResource[],
  workload: PolicyWorkload,
  ctx: CompileContext,
): InboundPolicy {
  const index = indexResources(resources);
  const seen = new Set<number>();
  const ports = [...workload.ports]
    .sort((a, b) => a.port - b.port)
    .filter((p) => !seen.has(p.port) && seen.add(p.port))
    .map((p) => {
      const [server] = coveringServers(index.servers, workload, p);
      if (server) return serverPort(server, p.port, workload, index, ctx);
      return compileDefaultPort(p.port, workload.defaultPolicy, ctx.clusterNetworks, workload.probePaths, 'unknown');
    });
  return {
    workload: { namespace: workload.namespace, name: workload.name },
    revision: ctx.revision,
    defaultPolicy: workload.defaultPolicy,
    clusterNetworks: [...ctx.clusterNetworks],
    probePaths: [...workload.probePaths],
    ports,
  };
}
