import {
  type CompiledAuthentication,
  type CompiledAuthorization,
  type CompiledNetwork,
  identityName,
} from '@meshviz/mesh-types';
import { compareNames } from './coverage.js';
import { namespaceIdentitySuffix, parseIdentityPattern } from './identity-patterns.js';
import { resourceKey } from './parse-documents.js';
import type {
  AuthorizationPolicy,
  GRPCRoute,
  HTTPRoute,
  MeshTLSAuthentication,
  NetworkAuthentication,
  PolicyResource,
  Server,
  Service,
} from './resources.js';

/** Compilation met a resource that refers to one it was not given (resources should come from the loader). */
export class PolicyCompileError extends Error {
  override readonly name = 'PolicyCompileError';
}

/** The resources grouped by kind, each list in namespace and name order. Routes of both directions. */
export interface PolicyIndex {
  readonly servers: Server[];
  readonly authorizationPolicies: AuthorizationPolicy[];
  readonly httpRoutes: HTTPRoute[];
  readonly grpcRoutes: GRPCRoute[];
  /** Service documents (their annotations). */
  readonly services: Service[];
  readonly meshTlsAuthentications: Map<string, MeshTLSAuthentication>;
  readonly networkAuthentications: Map<string, NetworkAuthentication>;
}

export function indexResources(resources: readonly PolicyResource[]): PolicyIndex {
  const sorted = [...resources].sort(
    (a, b) => compareNames(a.metadata.namespace, b.metadata.namespace) || compareNames(a.metadata.name, b.metadata.name),
  );
  const of = <K extends PolicyResource['kind']>(kind: K) =>
    sorted.filter((r): r is Extract<PolicyResource, { kind: K }> => r.kind === kind);
  const byKey = <T extends PolicyResource>(list: T[]) =>
    new Map(list.map((r) => [resourceKey(r.kind, r.metadata.namespace, r.metadata.name), r]));
  return {
    servers: of('Server'),
    authorizationPolicies: of('AuthorizationPolicy'),
    httpRoutes: of('HTTPRoute'),
    grpcRoutes: of('GRPCRoute'),
    services: of('Service'),
    meshTlsAuthentications: byKey(of('MeshTLSAuthentication')),
    networkAuthentications: byKey(of('NetworkAuthentication')),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Who a MeshTLSAuthentication lets in: "*" is any mesh identity; otherwise names and namespace suffixes. */
function meshTlsAuthentication(authn: MeshTLSAuthentication, trustDomain: string): CompiledAuthentication {
  const names: string[] = [];
  const suffixes: string[] = [];
  for (const text of authn.spec.identities ?? []) {
    const pattern = parseIdentityPattern(text);
    if (pattern?.kind === 'any') return { kind: 'tls' };
    if (pattern?.kind === 'name') names.push(pattern.name);
    if (pattern?.kind === 'namespace') suffixes.push(pattern.suffix);
  }
  for (const ref of authn.spec.identityRefs ?? []) {
    if (ref.kind === 'ServiceAccount') {
      const namespace = ref.namespace ?? authn.metadata.namespace;
      names.push(identityName({ serviceAccount: ref.name, namespace, trustDomain }));
    } else {
      suffixes.push(namespaceIdentitySuffix(ref.name, trustDomain));
    }
  }
  return { kind: 'identities', names: unique(names), suffixes: unique(suffixes) };
}

/**
 * One AuthorizationPolicy as the proxy checks it. Its refs must all hold: the identity ref (a MeshTLSAuthentication
 * or a ServiceAccount) gives the authentication, the NetworkAuthentication the networks; with networks only, any
 * client from those networks is let in, TLS or not.
 */
export function compileAuthorizationPolicy(
  policy: AuthorizationPolicy,
  index: PolicyIndex,
  trustDomain: string,
): CompiledAuthorization {
  let authentication: CompiledAuthentication = { kind: 'unauthenticated' };
  let networks: CompiledNetwork[] = [];
  for (const ref of policy.spec.requiredAuthenticationRefs) {
    const namespace = ref.namespace ?? policy.metadata.namespace;
    const key = resourceKey(ref.kind, namespace, ref.name);
    const missing = () =>
      new PolicyCompileError(`AuthorizationPolicy ${policy.metadata.namespace}/${policy.metadata.name} refers to ${key}, which was not given`);
    switch (ref.kind) {
      case 'ServiceAccount':
        authentication = {
          kind: 'identities',
          names: [identityName({ serviceAccount: ref.name, namespace, trustDomain })],
          suffixes: [],
        };
        break;
      case 'MeshTLSAuthentication': {
        const authn = index.meshTlsAuthentications.get(key);
        if (!authn) throw missing();
        authentication = meshTlsAuthentication(authn, trustDomain);
        break;
      }
      case 'NetworkAuthentication': {
        const authn = index.networkAuthentications.get(key);
        if (!authn) throw missing();
        networks = authn.spec.networks.map((n) => ({ cidr: n.cidr, except: [...(n.except ?? [])] }));
        break;
      }
    }
  }
  return { kind: 'authorizationpolicy', name: policy.metadata.name, authentication, networks, audit: false };
}
