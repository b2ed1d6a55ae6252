import {
  type CompiledRoute,
  compileDefaultPort,
  type DefaultPolicy,
  type InboundPolicy,
  type PortPolicy,
  type ProxyProtocol,
} from '@meshviz/mesh-types';
import type { AuthzDecision } from '../core/authz.js';
import type { ProxyRequest } from '../core/stage.js';
import type { TlsStatus } from '../core/tls-status.js';
import { compileMatch, type RequestTest } from '../route/route-match.js';
import { pathOf } from '../route/route-table.js';
import { Authorizer } from './authorize.js';
import { parseCidr } from './cidr.js';
import { httpDecision, type ServerRef, serverRef, tcpDecision } from './decision.js';

/** What applies before the first policy arrives, or without a policy service (PROXY_INBOUND_DEFAULT_POLICY…). */
export interface PolicyDefaults {
  readonly defaultPolicy: DefaultPolicy;
  readonly clusterNetworks: readonly string[];
  readonly probePaths: readonly string[];
}

interface Route {
  readonly matches: readonly RequestTest[];
  readonly authorizer: Authorizer;
}

/** A port with no routes is one route of the port's authorizations, named default/default as the contract says. */
const NO_ROUTES_MATCH = [{ headers: [] }];

/**
 * One port's policy compiled for the request path: routes as match tests in order, each with its authorizer, and
 * every decision built up front. Deciding a request costs string compares, at most one regular expression per
 * match tried, and a CIDR check per network; never an allocation beyond the request's path.
 */
export class PortAuthz {
  readonly port: number;
  readonly protocol: ProxyProtocol;
  /** Opaque and TLS ports are checked once per connection, and skip protocol detection. */
  readonly opaque: boolean;
  readonly server: ServerRef;
  private readonly routes: readonly Route[];
  private readonly notFound: AuthzDecision;
  private readonly tcp: Authorizer;

  constructor(policy: PortPolicy) {
    const where = `port ${policy.port}`;
    this.port = policy.port;
    this.protocol = policy.protocol;
    this.opaque = policy.protocol === 'opaque' || policy.protocol === 'TLS';
    const server = serverRef(policy);
    this.server = server;
    const routes: readonly CompiledRoute[] =
      policy.routes.length > 0
        ? policy.routes
        : [{ kind: 'default', name: 'default', matches: NO_ROUTES_MATCH, authorizations: policy.authorizations }];
    this.routes = routes.map((route) => {
      const at = `${where}: route ${route.kind}/${route.name}`;
      return {
        matches: route.matches.map((match, i) => compileMatch(match, `${at}: matches[${i}]`)),
        authorizer: new Authorizer(
          route.authorizations,
          (authorization) => httpDecision(server, route, authorization),
          httpDecision(server, route, undefined),
          at,
        ),
      };
    });
    this.notFound = httpDecision(server, undefined, undefined);
    this.tcp = new Authorizer(
      policy.authorizations,
      (authorization) => tcpDecision(server, authorization),
      tcpDecision(server, undefined),
      where,
    );
  }

  /** The first route matching the request, and the first of its authorizations that lets the client in. */
  decideHttp(tls: TlsStatus, request: ProxyRequest): AuthzDecision {
    const path = pathOf(request.path);
    for (const route of this.routes) {
      for (const test of route.matches) {
        if (test(request, path)) return route.authorizer.decide(tls, request.peer);
      }
    }
    return this.notFound;
  }

  /** An opaque connection: the port's own authorizations. */
  decideTcp(tls: TlsStatus, peer: string): AuthzDecision {
    return this.tcp.decide(tls, peer);
  }
}

/** The default for a port no policy lists (before the first policy, or a port the policy leaves out). */
export function defaultPort(port: number, defaults: PolicyDefaults): PortAuthz {
  return compilePort(compileDefaultPort(port, defaults.defaultPolicy, defaults.clusterNetworks, defaults.probePaths), 'the default policy');
}

/**
 * Compiles a policy from the control plane for the port this proxy serves: its entry, or the policy's default for
 * it. Every port and the cluster networks are compiled, so a malformed policy is refused as a whole, whichever
 * port it is wrong about. Throws an Error naming what is wrong.
 */
export function compilePolicy(policy: InboundPolicy, port: number): PortAuthz {
  const where = `policy revision ${policy.revision}`;
  for (const cidr of policy.clusterNetworks) {
    try {
      parseCidr(cidr);
    } catch (error) {
      throw new Error(`${where}: clusterNetworks: ${(error as Error).message}`);
    }
  }
  let ours: PortAuthz | undefined;
  for (const entry of policy.ports) {
    const compiled = compilePort(entry, where);
    if (entry.port === port) ours ??= compiled;
  }
  return ours ?? compilePort(compileDefaultPort(port, policy.defaultPolicy, policy.clusterNetworks, policy.probePaths), where);
}

function compilePort(policy: PortPolicy, where: string): PortAuthz {
  try {
    return new PortAuthz(policy);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}
