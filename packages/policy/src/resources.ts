import { POLICY_API_VERSION } from '@meshviz/mesh-types';
import type { z } from 'zod';
import { AuthorizationPolicy, MeshTLSAuthentication, NetworkAuthentication } from './authorization-resources.js';
import { GRPCRoute, HTTPRoute, ROUTE_API_VERSIONS, SERVICE_API_VERSION, Service } from './route-resources.js';
import { Server } from './server-resources.js';

/**
 * The policy resources operators write, as zod schemas: Server, AuthorizationPolicy, MeshTLSAuthentication and
 * NetworkAuthentication (group policy.meshviz.io, version v1), the Gateway API's HTTPRoute and GRPCRoute attached
 * to a Server (inbound) or a Service (outbound), and a Service's annotations. Every object is strict, so a misspelt
 * field is refused rather than ignored. The same schemas generate the CRDs (crds.ts), so checks that JSON Schema
 * cannot say (exactly one of two fields, a CIDR inside another) are refinements, and the CRDs carry the shape only.
 */

export * from './authorization-resources.js';
export { LabelSelector, LabelSelectorRequirement, ObjectMeta } from './resource-meta.js';
export {
  BackendRef,
  GATEWAY_API_VERSION,
  GRPCMethodMatch,
  GRPCRoute,
  GRPCRouteMatch,
  GRPCRouteRule,
  GRPCRouteSpec,
  HeaderMatch,
  HTTPPathMatch,
  HTTPRoute,
  HTTPRouteMatch,
  HTTPRouteRule,
  HTTPRouteSpec,
  HTTPRouteTimeouts,
  RouteParentRef,
  routeDirection,
  SERVICE_API_VERSION,
  Service,
} from './route-resources.js';
export * from './server-resources.js';

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
