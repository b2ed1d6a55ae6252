export { compileAuthorizationPolicy, indexResources, PolicyCompileError, type PolicyIndex } from './authorizations.js';
export { type Cidr, cidrContains, parseCidr } from './cidr.js';
export { type CompileContext, compileInboundPolicy } from './compile.js';
export { coveringServers, selectorMatches, serverPortMatches, serverSelects } from './coverage.js';
export { type IdentityPattern, namespaceIdentitySuffix, parseIdentityPattern } from './identity-patterns.js';
export { formatPolicyIssue, type PolicyIssue } from './issues.js';
export { loadPolicyDir, type PolicyDocument, type PolicyLoadResult, validateDocuments } from './load.js';
export * from './resources.js';
export { orderRouteMatches, type RouteMatch, routeMatches } from './route-matches.js';
