import { Dns1123Label, GATEWAY_GROUP, POLICY_API_VERSION, POLICY_GROUP } from '@meshviz/mesh-types';
import { z } from 'zod';
import { DURATION_HINT, parseGatewayDuration } from './durations.js';
import { compilesAsRegex, GRPC_METHOD, GRPC_SERVICE, HEADER_NAME, PortNumber, ResourceName } from './names.js';
import { ObjectMeta } from './resource-meta.js';
import { checkRoute, checkServiceAnnotations } from './route-checks.js';

/**
 * Routes: the Gateway API's HTTPRoute and GRPCRoute, attached to a Server (inbound) or a Service (outbound), and
 * the Service whose annotations set its outbound routes' defaults.
 */

export const GATEWAY_API_VERSION = `${GATEWAY_GROUP}/v1`;

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

/** The apiVersions routes are accepted under: the Gateway API's, and policy.meshviz.io's own. */
export const ROUTE_API_VERSIONS = [GATEWAY_API_VERSION, POLICY_API_VERSION] as const;

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
