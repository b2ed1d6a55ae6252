import { z } from 'zod';

/**
 * The authorization-policy contract between the control plane's policy service and every proxy's inbound side.
 *
 * Operators write resources (Server, AuthorizationPolicy, MeshTLSAuthentication, NetworkAuthentication and
 * Gateway API HTTPRoute/GRPCRoute attached to a Server; schemas in packages/policy). The control plane compiles
 * them, with the workload's labels, ports, probe paths and default policy, into one `InboundPolicy` per workload
 * and streams it to the workload's proxies. The proxy only ever sees this compiled form: it matches a port, then
 * a route, then checks the route's authorizations against the client's mTLS identity and address.
 */

/** The API group of meshviz's policy resources. */
export const POLICY_GROUP = 'policy.meshviz.io';
export const POLICY_API_VERSION = `${POLICY_GROUP}/v1`;
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/**
 * What a port does when no Server covers it (mesh-wide, per namespace, per workload), and a Server's own
 * `accessPolicy` for requests no authorization allows (a Server's default is `deny`).
 * - all-unauthenticated: everyone; all-authenticated: any mTLS client of this mesh's trust;
 * - cluster-authenticated: mTLS clients from the cluster networks; cluster-unauthenticated: anyone from them;
 * - deny: nobody (probes still pass); audit: everyone, but counted as what a deny would have refused.
 */
export const DEFAULT_POLICIES = [
  'all-unauthenticated',
  'all-authenticated',
  'cluster-authenticated',
  'cluster-unauthenticated',
  'deny',
  'audit',
] as const;
export const DefaultPolicy = z.enum(DEFAULT_POLICIES);
export type DefaultPolicy = z.infer<typeof DefaultPolicy>;
export const MESH_DEFAULT_POLICY: DefaultPolicy = 'all-unauthenticated';

/** Networks "cluster-*" policies mean when the mesh names none: private ranges plus loopback (one machine). */
export const DEFAULT_CLUSTER_NETWORKS: readonly string[] = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '127.0.0.0/8',
  'fd00::/8',
  '::1/128',
];

export const PROXY_PROTOCOLS = ['unknown', 'HTTP/1', 'HTTP/2', 'gRPC', 'opaque', 'TLS'] as const;
export const ProxyProtocol = z.enum(PROXY_PROTOCOLS);
export type ProxyProtocol = z.infer<typeof ProxyProtocol>;

/** A CIDR with optional exceptions inside it. */
export const CompiledNetwork = z.object({
  cidr: z.string().min(1),
  except: z.array(z.string().min(1)).default([]),
});
export type CompiledNetwork = z.infer<typeof CompiledNetwork>;

/**
 * Who an authorization lets in. `unauthenticated`: any client, TLS or not. `tls`: any mTLS client whose identity
 * this mesh trusts. `identities`: mTLS clients whose identity is one of `names` exactly, or ends with one of
 * `suffixes` (a suffix is given with its leading dot, e.g. ".billing.serviceaccount.identity.meshviz.cluster.local"
 * for every service account of billing; "" means any identity).
 */
export const CompiledAuthentication = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unauthenticated') }),
  z.object({ kind: z.literal('tls') }),
  z.object({
    kind: z.literal('identities'),
    names: z.array(z.string().min(1)).default([]),
    suffixes: z.array(z.string()).default([]),
  }),
]);
export type CompiledAuthentication = z.infer<typeof CompiledAuthentication>;

/**
 * One authorization: allowed when the client matches `authentication` AND its address is in one of `networks`
 * (no networks: any address). `kind`/`name` become the authz_kind/authz_name metric labels: an
 * AuthorizationPolicy is `authorizationpolicy`/<its name>; defaults are `default`/`default:<policy>` (e.g.
 * `default:all-authenticated`), automatic probe authorization is `default`/`default:probe`, and audit is
 * `audit`/`audit` (allowed, counted as a would-be denial).
 */
export const CompiledAuthorization = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  authentication: CompiledAuthentication,
  networks: z.array(CompiledNetwork).default([]),
  /** Audit authorizations allow, but what they let in is what a deny would have refused. */
  audit: z.boolean().default(false),
});
export type CompiledAuthorization = z.infer<typeof CompiledAuthorization>;

/** A request match, Gateway API style: every given field must match; an empty match matches everything. */
export const CompiledMatch = z.object({
  path: z
    .object({
      type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']),
      value: z.string(),
    })
    .optional(),
  method: z.string().optional(),
  headers: z
    .array(
      z.object({
        name: z.string().min(1),
        type: z.enum(['Exact', 'RegularExpression']).default('Exact'),
        value: z.string(),
      }),
    )
    .default([]),
  /** gRPC routes: `service` and `method` of the request's `/<service>/<method>` path. */
  grpc: z.object({ service: z.string().optional(), method: z.string().optional() }).optional(),
});
export type CompiledMatch = z.infer<typeof CompiledMatch>;

/**
 * A route of a port: the request matches it when any of `matches` matches. `kind`/`name` become route_kind and
 * route_name (`default`/`default` for a port without routes, `default`/`probe` for its probe paths,
 * `HTTPRoute`/`GRPCRoute` and the resource's name otherwise). Routes are tried in order, first match wins.
 */
export const CompiledRoute = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  matches: z.array(CompiledMatch).min(1),
  authorizations: z.array(CompiledAuthorization),
});
export type CompiledRoute = z.infer<typeof CompiledRoute>;

/**
 * The policy of one port of a workload. `server` names what covers it: a Server (`server`/<name>) or the
 * default (`default`/<policy name>). HTTP ports match `routes` (none matching: 404 route_not_found); opaque and
 * TLS ports check `authorizations` once per connection. `authorizations` is also the connection-level set for
 * HTTP ports that have no routes.
 */
export const PortPolicy = z.object({
  port: z.number().int().min(1).max(65535),
  protocol: ProxyProtocol,
  server: z.object({ kind: z.enum(['server', 'default']), name: z.string().min(1) }),
  routes: z.array(CompiledRoute),
  authorizations: z.array(CompiledAuthorization),
});
export type PortPolicy = z.infer<typeof PortPolicy>;

/**
 * Everything one workload's proxies enforce. `defaultPolicy` covers ports not listed (compiled on the proxy with
 * `compileDefaultPort`). `revision` grows with every change the control plane makes; a proxy logs it when it
 * swaps policies, so an operator can tell which version is in force.
 */
export const InboundPolicy = z.object({
  workload: z.object({ namespace: z.string().min(1), name: z.string().min(1) }),
  revision: z.number().int().nonnegative(),
  defaultPolicy: DefaultPolicy,
  clusterNetworks: z.array(z.string().min(1)),
  probePaths: z.array(z.string().startsWith('/')).default([]),
  ports: z.array(PortPolicy),
});
export type InboundPolicy = z.infer<typeof InboundPolicy>;

/**
 * The policy stream: `GET <POLICY_STREAM_PATH>/<namespace>/<workload>` on the control plane's policy port, over
 * TLS whose server identity is `policy.<CONTROL_NAMESPACE>…`, with the proxy's own certificate as client
 * certificate (its identity must be of the workload's namespace). The answer is `application/x-ndjson`: one JSON
 * `PolicyStreamMessage` per line, a `policy` at once and again after every change, a `heartbeat` every
 * `POLICY_HEARTBEAT_MS` so a proxy notices a dead stream and reconnects.
 */
export const POLICY_STREAM_PATH = '/v1/policy/inbound';
export const POLICY_HEARTBEAT_MS = 5_000;
export const PolicyStreamMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('policy'), policy: InboundPolicy }),
  z.object({ type: z.literal('heartbeat') }),
]);
export type PolicyStreamMessage = z.infer<typeof PolicyStreamMessage>;

/**
 * What the control plane knows of a workload in the local runtime (on Kubernetes it reads pods): written by
 * `meshviz up` as JSON (`CONTROL_WORKLOADS_FILE`).
 */
export const PolicyWorkload = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  serviceAccount: z.string().min(1),
  labels: z.record(z.string(), z.string()),
  /** The application's ports, named like container ports (a Server's port may name one). */
  ports: z.array(z.object({ port: z.number().int().min(1).max(65535), name: z.string().optional() })),
  /** The probe paths of the application (liveness, readiness), authorized automatically unless a route covers them. */
  probePaths: z.array(z.string().startsWith('/')).default([]),
  /** Resolved default policy for this workload (workload over namespace over mesh). */
  defaultPolicy: DefaultPolicy,
});
export type PolicyWorkload = z.infer<typeof PolicyWorkload>;
export const PolicyWorkloads = z.object({
  trustDomain: z.string().min(1),
  clusterNetworks: z.array(z.string().min(1)),
  workloads: z.array(PolicyWorkload),
});
export type PolicyWorkloads = z.infer<typeof PolicyWorkloads>;

/** Authorization metric families (names and labels of the mesh meshviz models). */
export const AUTHZ_METRIC = {
  httpAllow: 'inbound_http_authz_allow_total',
  httpDeny: 'inbound_http_authz_deny_total',
  httpRouteNotFound: 'inbound_http_route_not_found_total',
  tcpAllow: 'inbound_tcp_authz_allow_total',
  tcpDeny: 'inbound_tcp_authz_deny_total',
  /** Gauge, 1 per proxy: the revision of the policy in force (label `revision`) and where it came from. */
  policyInfo: 'inbound_policy_info',
} as const;

/**
 * Labels of the authz families. Inbound request_total, response_total and response_latency_ms carry the srv_*,
 * route_* and authz_* labels too, so success rate and latency can be read per server, route and authorization.
 * Denials carry the client identity (`client_id`, "" for clients without mTLS); a proxy keeps at most
 * `AUTHZ_CLIENT_ID_LIMIT` distinct values per server and folds the rest into `AUTHZ_OTHER_CLIENTS`.
 */
export const AUTHZ_LABEL = {
  srvKind: 'srv_kind',
  srvName: 'srv_name',
  srvPort: 'srv_port',
  routeKind: 'route_kind',
  routeName: 'route_name',
  authzKind: 'authz_kind',
  authzName: 'authz_name',
  clientId: 'client_id',
} as const;
export const AUTHZ_CLIENT_ID_LIMIT = 64;
export const AUTHZ_OTHER_CLIENTS = 'other';

/** Proxy settings: how long new inbound connections wait for the first policy before the default applies. */
export const POLICY_DEFAULTS = {
  initialWaitMs: 1_000,
  reconnectMinMs: 100,
  reconnectMaxMs: 5_000,
  /** A proxy that heard nothing for this long drops the stream and reconnects. */
  streamIdleMs: 3 * 5_000,
} as const;

/**
 * The authorizations a default policy stands for, for a port no Server covers. Deny has none (probes are added
 * as their own route by the caller). Audit allows everyone, flagged.
 */
export function defaultAuthorizations(policy: DefaultPolicy, clusterNetworks: readonly string[]): CompiledAuthorization[] {
  const name = `default:${policy}`;
  const cluster = clusterNetworks.map((cidr) => ({ cidr, except: [] }));
  switch (policy) {
    case 'all-unauthenticated':
      return [{ kind: 'default', name, authentication: { kind: 'unauthenticated' }, networks: [], audit: false }];
    case 'all-authenticated':
      return [{ kind: 'default', name, authentication: { kind: 'tls' }, networks: [], audit: false }];
    case 'cluster-authenticated':
      return [{ kind: 'default', name, authentication: { kind: 'tls' }, networks: cluster, audit: false }];
    case 'cluster-unauthenticated':
      return [{ kind: 'default', name, authentication: { kind: 'unauthenticated' }, networks: cluster, audit: false }];
    case 'deny':
      return [];
    case 'audit':
      return [{ kind: 'audit', name: 'audit', authentication: { kind: 'unauthenticated' }, networks: [], audit: true }];
  }
}

/** The automatic probe authorization: GET of the probe paths, from anyone. */
export const PROBE_AUTHORIZATION: CompiledAuthorization = {
  kind: 'default',
  name: 'default:probe',
  authentication: { kind: 'unauthenticated' },
  networks: [],
  audit: false,
};

/**
 * A port no Server covers, as the proxy and the control plane both build it: a `probe` route for GET of the
 * probe paths (authorized for anyone) and a `default` route for everything else under the default policy.
 * Opaque ports use `authorizations` only.
 */
export function compileDefaultPort(
  port: number,
  policy: DefaultPolicy,
  clusterNetworks: readonly string[],
  probePaths: readonly string[],
  protocol: ProxyProtocol = 'unknown',
): PortPolicy {
  const authorizations = defaultAuthorizations(policy, clusterNetworks);
  const routes: CompiledRoute[] = [];
  if (probePaths.length > 0) {
    routes.push({
      kind: 'default',
      name: 'probe',
      matches: probePaths.map((value) => ({ path: { type: 'Exact' as const, value }, method: 'GET', headers: [] })),
      authorizations: [PROBE_AUTHORIZATION],
    });
  }
  routes.push({ kind: 'default', name: 'default', matches: [{ headers: [] }], authorizations });
  return { port, protocol, server: { kind: 'default', name: policy }, routes, authorizations };
}

/** Authz API: one row per server × route × authorization (allowed) or server × route (denied). */
export const AuthzRow = z.object({
  server: z.object({ kind: z.string(), name: z.string(), port: z.string() }),
  route: z.object({ kind: z.string(), name: z.string() }),
  /** Absent on rows of denied traffic (no authorization let it in). */
  authorization: z.object({ kind: z.string(), name: z.string() }).nullable(),
  allowedRps: z.number(),
  deniedRps: z.number(),
  /** Requests an audit authorization let in: what a deny would have refused. */
  auditedRps: z.number(),
  /** Of allowed requests; null with no traffic. */
  successRate: z.number().nullable(),
  latency: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
});
export type AuthzRow = z.infer<typeof AuthzRow>;

export const AuthzDenial = z.object({
  server: z.object({ kind: z.string(), name: z.string(), port: z.string() }),
  route: z.object({ kind: z.string(), name: z.string() }),
  /** "" for clients without mTLS; AUTHZ_OTHER_CLIENTS for identities past the proxy's limit. */
  clientId: z.string(),
  deniedRps: z.number(),
});
export type AuthzDenial = z.infer<typeof AuthzDenial>;

export const AuthzResponse = z.object({
  resource: z.object({ kind: z.string(), namespace: z.string(), name: z.string() }),
  window: z.string(),
  rows: z.array(AuthzRow),
  denials: z.array(AuthzDenial),
});
export type AuthzResponse = z.infer<typeof AuthzResponse>;
