import { DefaultPolicy, Dns1123Label, GATEWAY_GROUP, POLICY_API_VERSION, POLICY_GROUP, ProxyProtocol } from '@meshviz/mesh-types';
import { z } from 'zod';
import { cidrContains, parseCidr } from './cidr.js';
import { DURATION_HINT, parseGatewayDuration } from './durations.js';
import { IDENTITY_PATTERN_HINT, isIdentityPattern } from './identity-patterns.js';
import {
  checkGroup,
  compilesAsRegex,
  GRPC_METHOD,
  GRPC_SERVICE,
  HEADER_NAME,
  isPortName,
  LabelKey,
  Labels,
  LabelValue,
  PORT_NAME,
  ResourceName,
} from './names.js';
import { checkRoute, checkServiceAnnotations } from './route-checks.js';

/**
 * The policy resources operators write, as zod schemas: Server, AuthorizationPolicy, MeshTLSAuthentication and
 * NetworkAuthentication (group policy.meshviz.io, version v1), the Gateway API's HTTPRoute and GRPCRoute attached
 * to a Server (inbound) or a Service (outbound), and a Service's annotations. Every object is strict, so a misspelt
 * field is refused rather than ignored. The same schemas generate the CRDs (crds.ts), so checks that JSON Schema
 * cannot say (exactly one of two fields, a CIDR inside another) are refinements, and the CRDs carry the shape only.
 */

export const GATEWAY_API_VERSION = `${GATEWAY_GROUP}/v1`;

/** Metadata of a policy resource: name and namespace are required (a directory has no current namespace). */
export const ObjectMeta = z.strictObject({
  name: ResourceName,
  namespace: Dns1123Label,
  labels: Labels.optional(),
  annotations: z.record(z.string(), z.string({ error: 'an annotation value must be a string: quote it ("3")' })).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

// --- Server -------------------------------------------------------------------------------------------------------

export const LabelSelectorRequirement = z
  .strictObject({
    key: LabelKey,
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(LabelValue).optional(),
  })
  .superRefine((req, ctx) => {
    const count = req.values?.length ?? 0;
    if ((req.operator === 'In' || req.operator === 'NotIn') && count === 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `must name at least one value for ${req.operator}` });
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && count > 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `must be empty for ${req.operator}` });
    }
  });
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirement>;

/** Kubernetes label selector: both parts must match; an empty selector selects every pod of the namespace. */
export const LabelSelector = z.strictObject({
  matchLabels: Labels.optional(),
  matchExpressions: z.array(LabelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

const PORT_NAME_RULE = 'a container port name is lower-case letters, digits and "-", at most 15 characters, with a letter';
const PortNumber = z.number().int('must be a whole number').min(1, 'must be 1 to 65535').max(65535, 'must be 1 to 65535');
const PortName = z.string().max(15, PORT_NAME_RULE).regex(PORT_NAME, PORT_NAME_RULE).refine(isPortName, PORT_NAME_RULE);

export const ServerSpec = z.strictObject({
  podSelector: LabelSelector.describe('The pods this Server covers, in its own namespace.'),
  port: z
    .union([PortNumber, PortName], {
      error: 'must be a port number (1-65535) or a container port name (e.g. "http": lower-case, at most 15 characters)',
    })
    .describe('The port: its number, or the name of a container port of the selected pods.'),
  proxyProtocol: ProxyProtocol.default('unknown').describe('How the proxy reads connections to the port.'),
  accessPolicy: DefaultPolicy.default('deny').describe('What requests that no AuthorizationPolicy allows get.'),
});

export const Server = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.literal('Server'),
  metadata: ObjectMeta,
  spec: ServerSpec,
});
export type Server = z.infer<typeof Server>;

// --- AuthorizationPolicy ------------------------------------------------------------------------------------------

export const PolicyTargetRef = z
  .strictObject({
    group: z.string().optional(),
    kind: z.enum(['Server', 'HTTPRoute', 'GRPCRoute', 'Namespace']),
    name: ResourceName,
  })
  .superRefine(checkGroup);

export const AuthenticationRef = z
  .strictObject({
    group: z.string().optional(),
    kind: z.enum(['MeshTLSAuthentication', 'NetworkAuthentication', 'ServiceAccount']),
    name: ResourceName,
    namespace: Dns1123Label.optional().describe("Defaults to the AuthorizationPolicy's namespace."),
  })
  .superRefine(checkGroup);
export type AuthenticationRef = z.infer<typeof AuthenticationRef>;

export const AuthorizationPolicySpec = z
  .strictObject({
    targetRef: PolicyTargetRef.describe("What the policy applies to, in the policy's namespace."),
    requiredAuthenticationRefs: z
      .array(AuthenticationRef)
      .min(1, 'must name at least one authentication')
      .describe('Authentications a client must satisfy, all of them.'),
  })
  .superRefine((spec, ctx) => {
    // All refs must hold at once; one identity set and one network set keep that a plain AND.
    const identity = spec.requiredAuthenticationRefs.filter(
      (r) => r.kind === 'MeshTLSAuthentication' || r.kind === 'ServiceAccount',
    );
    const network = spec.requiredAuthenticationRefs.filter((r) => r.kind === 'NetworkAuthentication');
    if (identity.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['requiredAuthenticationRefs'],
        message: 'names more than one MeshTLSAuthentication or ServiceAccount; put every identity into one MeshTLSAuthentication',
      });
    }
    if (network.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['requiredAuthenticationRefs'],
        message: 'names more than one NetworkAuthentication; put every network into one NetworkAuthentication',
      });
    }
  });

export const AuthorizationPolicy = z
  .strictObject({
    apiVersion: z.literal(POLICY_API_VERSION),
    kind: z.literal('AuthorizationPolicy'),
    metadata: ObjectMeta,
    spec: AuthorizationPolicySpec,
  })
  .superRefine((policy, ctx) => {
    const target = policy.spec.targetRef;
    if (target.kind === 'Namespace' && target.name !== policy.metadata.namespace) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'targetRef', 'name'],
        message: `a Namespace target must be the policy's own namespace "${policy.metadata.namespace}"`,
      });
    }
  });
export type AuthorizationPolicy = z.infer<typeof AuthorizationPolicy>;

// --- MeshTLSAuthentication ----------------------------------------------------------------------------------------

export const IdentityRef = z
  .strictObject({
    group: z.string().optional(),
    kind: z.enum(['ServiceAccount', 'Namespace']),
    name: Dns1123Label,
    namespace: Dns1123Label.optional().describe("ServiceAccount only; defaults to the authentication's namespace."),
  })
  .superRefine((ref, ctx) => {
    checkGroup(ref, ctx);
    if (ref.kind === 'Namespace' && ref.namespace !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: 'a Namespace ref has no namespace of its own' });
    }
  });
export type IdentityRef = z.infer<typeof IdentityRef>;

export const MeshTLSAuthenticationSpec = z
  .strictObject({
    identities: z
      .array(z.string().refine(isIdentityPattern, `must be ${IDENTITY_PATTERN_HINT}`))
      .min(1)
      .optional()
      .describe('Identity names, "*" for any, or "*.<ns>.serviceaccount.identity.meshviz.<trust-domain>".'),
    identityRefs: z.array(IdentityRef).min(1).optional().describe('Service accounts or whole namespaces.'),
  })
  .superRefine((spec, ctx) => {
    if ((spec.identities === undefined) === (spec.identityRefs === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must set exactly one of identities and identityRefs' });
    }
  })
  .meta({
    // The same rule for the API server (the CRD is generated from this schema).
    'x-kubernetes-validations': [
      { rule: 'has(self.identities) != has(self.identityRefs)', message: 'must set exactly one of identities and identityRefs' },
    ],
  });

export const MeshTLSAuthentication = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.literal('MeshTLSAuthentication'),
  metadata: ObjectMeta,
  spec: MeshTLSAuthenticationSpec,
});
export type MeshTLSAuthentication = z.infer<typeof MeshTLSAuthentication>;

// --- NetworkAuthentication ----------------------------------------------------------------------------------------

const CidrText = z.string().superRefine((text, ctx) => {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `"${text}" ${parsed}` });
});

export const Network = z
  .strictObject({
    cidr: CidrText.describe('IPv4 or IPv6 CIDR, e.g. 10.0.0.0/8.'),
    except: z.array(CidrText).optional().describe('CIDRs inside cidr that are not allowed.'),
  })
  .superRefine((network, ctx) => {
    const outer = parseCidr(network.cidr);
    if (typeof outer === 'string') return;
    network.except?.forEach((text, i) => {
      const inner = parseCidr(text);
      if (typeof inner !== 'string' && !cidrContains(outer, inner)) {
        ctx.addIssue({ code: 'custom', path: ['except', i], message: `"${text}" is not inside ${network.cidr}` });
      }
    });
  });
export type Network = z.infer<typeof Network>;

export const NetworkAuthenticationSpec = z.strictObject({
  networks: z.array(Network).min(1, 'must name at least one network'),
});

export const NetworkAuthentication = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.literal('NetworkAuthentication'),
  metadata: ObjectMeta,
  spec: NetworkAuthenticationSpec,
});
export type NetworkAuthentication = z.infer<typeof NetworkAuthentication>;

// --- HTTPRoute and GRPCRoute (Gateway API) ---------------------------------------------------------------------

const SERVICE_GROUPS = ['', 'core'];

/**
 * A route's parent, in the route's own namespace (there is no Gateway): a Server makes the route *inbound* (it names
 * requests of the Server's port, so policies can differ per route); a Service makes it *outbound* (it routes what the
 * Service's callers send: backends, timeouts, retries, faults). One route is one or the other.
 */
export const RouteParentRef = z
  .strictObject({
    group: z.string().optional(),
    kind: z.enum(['Server', 'Service'], {
      error: 'must be "Server" (an inbound route, authorized per route) or "Service" (an outbound route of the Service\'s callers)',
    }),
    name: ResourceName,
    namespace: Dns1123Label.optional().describe("Must be the route's own namespace."),
    port: PortNumber.optional().describe('Service parents only: the route applies to this port of the Service.'),
  })
  .superRefine((ref, ctx) => {
    if (ref.kind === 'Server') {
      if (ref.group !== POLICY_GROUP) {
        ctx.addIssue({ code: 'custom', path: ['group'], message: `must be "${POLICY_GROUP}" for a Server parent` });
      }
      if (ref.port !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['port'], message: "unsupported field: a Server parent's port is the Server's own" });
      }
    } else if (ref.group === undefined || !SERVICE_GROUPS.includes(ref.group)) {
      ctx.addIssue({
        code: 'custom',
        path: ['group'],
        message: 'must be "" or "core" for a Service parent (an omitted group means the Gateway API\'s own)',
      });
    }
  });
export type RouteParentRef = z.infer<typeof RouteParentRef>;

export const HeaderMatch = z
  .strictObject({
    type: z.enum(['Exact', 'RegularExpression']).default('Exact'),
    name: z.string().min(1).max(256).regex(HEADER_NAME, 'must be an HTTP header name'),
    value: z.string().max(4096),
  })
  .superRefine((h, ctx) => {
    if (h.type === 'RegularExpression' && !compilesAsRegex(h.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${h.value}" is not a valid regular expression` });
    }
  });
export type HeaderMatch = z.infer<typeof HeaderMatch>;

export const HTTPPathMatch = z
  .strictObject({
    type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']).default('PathPrefix'),
    value: z.string().max(1024).default('/'),
  })
  .superRefine((path, ctx) => {
    if (path.type !== 'RegularExpression' && !path.value.startsWith('/')) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must start with "/" for ${path.type}` });
    }
    if (path.type === 'RegularExpression' && !compilesAsRegex(path.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${path.value}" is not a valid regular expression` });
    }
  });

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;
const DEFAULT_HTTP_MATCH = { path: { type: 'PathPrefix' as const, value: '/' } };

export const HTTPRouteMatch = z.strictObject({
  path: HTTPPathMatch.default(DEFAULT_HTTP_MATCH.path),
  method: z.enum(HTTP_METHODS).optional(),
  headers: z.array(HeaderMatch).max(16).optional(),
});
export type HTTPRouteMatch = z.infer<typeof HTTPRouteMatch>;

/** A backend of an outbound route's rule: a Service of the route's namespace, taking `weight` of the rule's requests. */
export const BackendRef = z.strictObject({
  group: z.enum(['', 'core'], { error: 'must be "" or "core": backends are Services' }).optional(),
  kind: z.literal('Service', { error: 'must be "Service": backends are Services' }).optional(),
  name: ResourceName,
  namespace: Dns1123Label.optional().describe("Must be the route's own namespace."),
  port: PortNumber.optional().describe("The Service's port; needed only when discovery lists the Service under several ports."),
  weight: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 to 1000000')
    .max(1_000_000, 'must be 0 to 1000000')
    .default(1)
    .describe("This backend's share of the rule's requests, relative to the other backends' weights."),
});
export type BackendRef = z.infer<typeof BackendRef>;

const BackendRefs = z
  .array(BackendRef)
  .max(16)
  .optional()
  .describe("Outbound routes: where the rule's requests go, split by weight; none given: the parent Service itself.");

const GatewayDuration = z.string().refine((text) => parseGatewayDuration(text) !== undefined, `must be ${DURATION_HINT}`);

/** HTTPRoute rule timeouts (outbound routes): `request` bounds the whole request, `backendRequest` each attempt. */
export const HTTPRouteTimeouts = z
  .strictObject({
    request: GatewayDuration.optional().describe('The whole request, retries included.'),
    backendRequest: GatewayDuration.optional().describe('Each attempt, until the response headers.'),
  })
  .superRefine((t, ctx) => {
    const request = t.request === undefined ? 0 : (parseGatewayDuration(t.request) ?? 0);
    const attempt = t.backendRequest === undefined ? 0 : (parseGatewayDuration(t.backendRequest) ?? 0);
    if (request > 0 && attempt > request) {
      ctx.addIssue({ code: 'custom', path: ['backendRequest'], message: `must not be longer than request (${t.request})` });
    }
  });
export type HTTPRouteTimeouts = z.infer<typeof HTTPRouteTimeouts>;

export const HTTPRouteRule = z.strictObject({
  matches: z
    .array(HTTPRouteMatch)
    .max(64)
    .default([DEFAULT_HTTP_MATCH])
    .describe('A request matches the rule when any match does; none given: every request.'),
  backendRefs: BackendRefs,
  timeouts: HTTPRouteTimeouts.optional(),
});
export type HTTPRouteRule = z.infer<typeof HTTPRouteRule>;

const ROUTE_API_VERSIONS = [GATEWAY_API_VERSION, POLICY_API_VERSION] as const;

const ParentRefs = z.array(RouteParentRef).min(1, 'must name the Server or Service the route attaches to').max(32);

/** Route-wide checks (parents' namespaces, inbound or outbound fields, annotations) run even when a field failed. */
const ROUTE_CHECK = { when: () => true };

export const HTTPRouteSpec = z.strictObject({
  parentRefs: ParentRefs,
  rules: z.array(HTTPRouteRule).max(16).default([{ matches: [DEFAULT_HTTP_MATCH] }]),
});

export const HTTPRoute = z
  .strictObject({
    apiVersion: z.enum(ROUTE_API_VERSIONS),
    kind: z.literal('HTTPRoute'),
    metadata: ObjectMeta,
    spec: HTTPRouteSpec,
  })
  .superRefine(checkRoute, ROUTE_CHECK);
export type HTTPRoute = z.infer<typeof HTTPRoute>;

export const GRPCMethodMatch = z
  .strictObject({
    type: z
      .literal('Exact', { error: 'must be "Exact": meshviz matches gRPC services and methods exactly' })
      .default('Exact'),
    service: z.string().max(1024).regex(GRPC_SERVICE, 'must be a gRPC service name (e.g. "billing.v1.Ledger")').optional(),
    method: z.string().max(1024).regex(GRPC_METHOD, 'must be a gRPC method name (e.g. "AddEntry")').optional(),
  })
  .superRefine((m, ctx) => {
    if (m.service === undefined && m.method === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must set service, method or both' });
    }
  });

export const GRPCRouteMatch = z.strictObject({
  method: GRPCMethodMatch.optional(),
  headers: z.array(HeaderMatch).max(16).optional(),
});
export type GRPCRouteMatch = z.infer<typeof GRPCRouteMatch>;

export const GRPCRouteRule = z.strictObject({
  matches: z
    .array(GRPCRouteMatch)
    .max(64)
    .default([])
    .describe('A request matches the rule when any match does; none given: every gRPC request.'),
  backendRefs: BackendRefs,
  timeouts: z
    .undefined({
      error: 'unsupported field: a GRPCRoute has no timeouts in the Gateway API; use the timeout.meshviz.io annotations on the route',
    })
    .optional(),
});
export type GRPCRouteRule = z.infer<typeof GRPCRouteRule>;

export const GRPCRouteSpec = z.strictObject({
  parentRefs: ParentRefs,
  rules: z.array(GRPCRouteRule).max(16).default([{ matches: [] }]),
});

export const GRPCRoute = z
  .strictObject({
    apiVersion: z.enum(ROUTE_API_VERSIONS),
    kind: z.literal('GRPCRoute'),
    metadata: ObjectMeta,
    spec: GRPCRouteSpec,
  })
  .superRefine(checkRoute, ROUTE_CHECK);
export type GRPCRoute = z.infer<typeof GRPCRoute>;

/** Inbound: attached to Servers; outbound: attached to Services (the loader refuses a route with both). */
export function routeDirection(route: HTTPRoute | GRPCRoute): 'inbound' | 'outbound' {
  return route.spec.parentRefs.every((p) => p.kind === 'Service') ? 'outbound' : 'inbound';
}

// --- Service (Kubernetes core) -----------------------------------------------------------------------------------

export const SERVICE_API_VERSION = 'v1';

/**
 * A Service, for its annotations only: the outbound defaults of its routes (retries, timeouts, faults) and its
 * endpoints' failure accrual. It must name a Service discovery knows; its spec (ports, selector) is discovery's
 * business and is not read.
 */
export const Service = z
  .strictObject({
    apiVersion: z.literal(SERVICE_API_VERSION),
    kind: z.literal('Service'),
    metadata: ObjectMeta,
    spec: z.unknown().optional().describe('Not read: discovery knows the Service.'),
  })
  .superRefine(checkServiceAnnotations, ROUTE_CHECK);
export type Service = z.infer<typeof Service>;

// --- All kinds ----------------------------------------------------------------------------------------------------

export type PolicyResource =
  | Server
  | AuthorizationPolicy
  | MeshTLSAuthentication
  | NetworkAuthentication
  | HTTPRoute
  | GRPCRoute
  | Service;
export type PolicyKind = PolicyResource['kind'];

/** Each kind's schema and the apiVersions it is accepted under. */
export const POLICY_KINDS = {
  Server: { schema: Server, apiVersions: [POLICY_API_VERSION] },
  AuthorizationPolicy: { schema: AuthorizationPolicy, apiVersions: [POLICY_API_VERSION] },
  MeshTLSAuthentication: { schema: MeshTLSAuthentication, apiVersions: [POLICY_API_VERSION] },
  NetworkAuthentication: { schema: NetworkAuthentication, apiVersions: [POLICY_API_VERSION] },
  HTTPRoute: { schema: HTTPRoute, apiVersions: ROUTE_API_VERSIONS },
  GRPCRoute: { schema: GRPCRoute, apiVersions: ROUTE_API_VERSIONS },
  Service: { schema: Service, apiVersions: [SERVICE_API_VERSION] },
} as const satisfies Record<PolicyKind, { schema: z.ZodType; apiVersions: readonly string[] }>;
