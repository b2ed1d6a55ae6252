import { DefaultPolicy, Dns1123Label, GATEWAY_GROUP, POLICY_API_VERSION, POLICY_GROUP, ProxyProtocol } from '@meshviz/mesh-types';
import { z } from 'zod';
import { cidrContains, parseCidr } from './cidr.js';
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

/**
 * The policy resources operators write, as zod schemas: Server, AuthorizationPolicy, MeshTLSAuthentication and
 * NetworkAuthentication (group policy.meshviz.io, version v1) and the Gateway API's HTTPRoute and GRPCRoute attached
 * to a Server. Every object is strict, so a misspelt field is refused rather than ignored. The same schemas generate
 * the CRDs (crds.ts), so checks that JSON Schema cannot say (exactly one of two fields, a CIDR inside another) are
 * refinements, and the CRDs carry the shape only.
 */

export const GATEWAY_API_VERSION = `${GATEWAY_GROUP}/v1`;

/** Metadata of a policy resource: name and namespace are required (a directory has no current namespace). */
export const ObjectMeta = z.strictObject({
  name: ResourceName,
  namespace: Dns1123Label,
  labels: Labels.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
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

/** A route's parent: meshviz routes attach to a Server of their own namespace (there is no Gateway). */
export const ServerParentRef = z.strictObject({
  group: z.literal(POLICY_GROUP, { error: `must be "${POLICY_GROUP}": meshviz routes attach to a Server` }),
  kind: z.literal('Server', { error: 'must be "Server": meshviz routes attach to a Server' }),
  name: ResourceName,
  namespace: Dns1123Label.optional().describe("Must be the route's own namespace."),
});
export type ServerParentRef = z.infer<typeof ServerParentRef>;

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

export const HTTPRouteRule = z.strictObject({
  matches: z
    .array(HTTPRouteMatch)
    .max(64)
    .default([DEFAULT_HTTP_MATCH])
    .describe('A request matches the rule when any match does; none given: every request.'),
});

const ROUTE_API_VERSIONS = [GATEWAY_API_VERSION, POLICY_API_VERSION] as const;

function checkParentNamespaces(
  route: { metadata: ObjectMeta; spec: { parentRefs: ServerParentRef[] } },
  ctx: z.RefinementCtx,
): void {
  route.spec.parentRefs.forEach((ref, i) => {
    if (ref.namespace !== undefined && ref.namespace !== route.metadata.namespace) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'parentRefs', i, 'namespace'],
        message: `a Server parent must be in the route's own namespace "${route.metadata.namespace}"`,
      });
    }
  });
}

const ParentRefs = z.array(ServerParentRef).min(1, 'must name the Server the route attaches to').max(32);

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
  .superRefine(checkParentNamespaces);
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
});

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
  .superRefine(checkParentNamespaces);
export type GRPCRoute = z.infer<typeof GRPCRoute>;

// --- All kinds ----------------------------------------------------------------------------------------------------

export type PolicyResource =
  | Server
  | AuthorizationPolicy
  | MeshTLSAuthentication
  | NetworkAuthentication
  | HTTPRoute
  | GRPCRoute;
export type PolicyKind = PolicyResource['kind'];

/** Each kind's schema and the apiVersions it is accepted under. */
export const POLICY_KINDS = {
  Server: { schema: Server, apiVersions: [POLICY_API_VERSION] },
  AuthorizationPolicy: { schema: AuthorizationPolicy, apiVersions: [POLICY_API_VERSION] },
  MeshTLSAuthentication: { schema: MeshTLSAuthentication, apiVersions: [POLICY_API_VERSION] },
  NetworkAuthentication: { schema: NetworkAuthentication, apiVersions: [POLICY_API_VERSION] },
  HTTPRoute: { schema: HTTPRoute, apiVersions: ROUTE_API_VERSIONS },
  GRPCRoute: { schema: GRPCRoute, apiVersions: ROUTE_API_VERSIONS },
} as const satisfies Record<PolicyKind, { schema: z.ZodType; apiVersions: readonly string[] }>;
