export { compileAuthorizationPolicy, indexResources, PolicyCompileError, type PolicyIndex } from './authorizations.js';
export { type Cidr, cidrContains, parseCidr } from './cidr.js';
export { type CompileContext, compileInboundPolicy } from './compile.js';
export { compileOutbound } from './compile-outbound.js';
export { coveringServers, selectorMatches, serverPortMatches, serverSelects } from './coverage.js';
export { CRD_KINDS, crdFiles, customResourceDefinition, specSchema } from './crds.js';
export { DURATION_HINT, parseGatewayDuration } from './durations.js';
export { type IdentityPattern, namespaceIdentitySuffix, parseIdentityPattern } from './identity-patterns.js';
export { formatPolicyIssue, type PolicyIssue } from './issues.js';
export { type LoadOptions, loadPolicyDir, type PolicyDocument, type PolicyLoadResult, validateDocuments } from './load.js';
export {
  type AnnotationIssue,
  GRPC_CODE_NAMES,
  hasOutboundAnnotations,
  isOutboundAnnotation,
  type OutboundSettings,
  readOutboundAnnotations,
} from './outbound-annotations.js';
export * from './resources.js';
export { orderRouteMatches, type RouteMatch, routeMatches } from './route-matches.js';
export { authorityPort, type DiscoveredService, discoveredService, resolveBackend } from './service-discovery.js';
export { structuralProblems, toStructural } from './structural-schema.js';
