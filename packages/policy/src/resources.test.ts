import { describe, expect, it } from 'vitest';
import { formatPolicyIssue } from './issues.js';
import { validateDocuments } from './load.js';
import { AuthorizationPolicy, GRPCRoute, HTTPRoute, Server } from './resources.js';
import { DEMO_MESH } from './testing/mesh.js';

/** Every error of one file, formatted as users see them. */
function errorsOf(text: string): string[] {
  const result = validateDocuments([{ file: 'policy/x.yaml', text }], DEMO_MESH);
  return result.ok ? [] : result.errors.map(formatPolicyIssue);
}

const SERVER = `
apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: ledger-http, namespace: billing }
spec:
  podSelector: { matchLabels: { app: ledger } }
  port: http
`;

describe('Server', () => {
  it('accepts a Server and fills in proxyProtocol and accessPolicy', () => {
    const result = validateDocuments([{ file: 'policy/x.yaml', text: SERVER }], DEMO_MESH);
    expect(result.ok && result.resources).toEqual([
      {
        apiVersion: 'policy.meshviz.io/v1',
        kind: 'Server',
        metadata: { name: 'ledger-http', namespace: 'billing' },
        spec: { podSelector: { matchLabels: { app: 'ledger' } }, port: 'http', proxyProtocol: 'unknown', accessPolicy: 'deny' },
      },
    ]);
  });

  it('refuses a misspelt field, naming its path', () => {
    expect(errorsOf(`${SERVER}  acessPolicy: deny\n`)).toEqual([
      'policy/x.yaml: Server billing/ledger-http: spec.acessPolicy: unknown field',
    ]);
  });

  it('refuses a bad port, protocol and access policy, each at its path', () => {
    const text = SERVER.replace('port: http', 'port: 70000\n  proxyProtocol: HTTP/3\n  accessPolicy: allow');
    expect(errorsOf(text)).toEqual([
      'policy/x.yaml: Server billing/ledger-http: spec.port: must be 1 to 65535',
      'policy/x.yaml: Server billing/ledger-http: spec.proxyProtocol: Invalid option: expected one of "unknown"|"HTTP/1"|"HTTP/2"|"gRPC"|"opaque"|"TLS"',
      'policy/x.yaml: Server billing/ledger-http: spec.accessPolicy: Invalid option: expected one of "all-unauthenticated"|"all-authenticated"|"cluster-authenticated"|"cluster-unauthenticated"|"deny"|"audit"',
    ]);
  });

  it('checks matchExpressions: values for In, none for Exists, known operators', () => {
    const text = SERVER.replace(
      '{ matchLabels: { app: ledger } }',
      '\n    matchExpressions:\n      - { key: app, operator: In }\n      - { key: tier, operator: Exists, values: [a] }\n      - { key: tier, operator: Equals, values: [a] }',
    );
    expect(errorsOf(text)).toEqual([
      'policy/x.yaml: Server billing/ledger-http: spec.podSelector.matchExpressions.0.values: must name at least one value for In',
      'policy/x.yaml: Server billing/ledger-http: spec.podSelector.matchExpressions.1.values: must be empty for Exists',
      'policy/x.yaml: Server billing/ledger-http: spec.podSelector.matchExpressions.2.operator: Invalid option: expected one of "In"|"NotIn"|"Exists"|"DoesNotExist"',
    ]);
  });

  it('refuses a Server without a podSelector and an external workload selector', () => {
    const text = SERVER.replace('podSelector: { matchLabels: { app: ledger } }', 'externalWorkloadSelector: {}');
    expect(errorsOf(text)).toEqual([
      'policy/x.yaml: Server billing/ledger-http: spec.podSelector: is required',
      'policy/x.yaml: Server billing/ledger-http: spec.externalWorkloadSelector: unsupported field: meshviz Servers select pods only (podSelector)',
    ]);
  });

  it('explains port names and refuses other port types', () => {
    const rule = 'a container port name is lower-case letters, digits and "-", at most 15 characters, with a letter';
    expect(errorsOf(SERVER.replace('port: http', 'port: "8080"'))).toEqual([`policy/x.yaml: Server billing/ledger-http: spec.port: ${rule}`]);
    expect(errorsOf(SERVER.replace('port: http', 'port: true'))).toEqual([
      'policy/x.yaml: Server billing/ledger-http: spec.port: must be a port number (1-65535) or a container port name (e.g. "http": lower-case, at most 15 characters)',
    ]);
  });

  it('refuses bad label keys and values', () => {
    const text = SERVER.replace('{ app: ledger }', '{ "-app": ledger, tier: "a b" }');
    expect(errorsOf(text)).toEqual([
      'policy/x.yaml: Server billing/ledger-http: spec.podSelector.matchLabels.tier: must be a label value (letters, digits, "-", "_", "." at most 63 characters)',
      'policy/x.yaml: Server billing/ledger-http: spec.podSelector.matchLabels.-app: "-app" is not a label key',
    ]);
  });
});

const POLICY = `
apiVersion: policy.meshviz.io/v1
kind: AuthorizationPolicy
metadata: { name: ledger-from-payments, namespace: billing }
spec:
  targetRef: { group: policy.meshviz.io, kind: Server, name: ledger-http }
  requiredAuthenticationRefs:
    - { group: policy.meshviz.io, kind: MeshTLSAuthentication, name: payments }
`;

describe('AuthorizationPolicy', () => {
  it('names the path of a bad authentication kind', () => {
    expect(errorsOf(POLICY.replace('kind: MeshTLSAuthentication', 'kind: MeshTLS'))).toEqual([
      'policy/x.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.requiredAuthenticationRefs.0.kind: Invalid option: expected one of "MeshTLSAuthentication"|"NetworkAuthentication"|"ServiceAccount"',
    ]);
  });

  it('refuses a group that does not fit the kind, and an empty ref list', () => {
    const text = POLICY.replace('group: policy.meshviz.io, kind: Server', 'group: gateway.networking.k8s.io, kind: Server').replace(
      /requiredAuthenticationRefs:\n.*\n/,
      'requiredAuthenticationRefs: []\n',
    );
    expect(errorsOf(text)).toEqual([
      'policy/x.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.targetRef.group: must be "policy.meshviz.io" for kind Server',
      'policy/x.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.requiredAuthenticationRefs: must name at least one authentication',
    ]);
  });

  it('refuses two identity refs (they could never both hold as one identity set)', () => {
    const parsed = AuthorizationPolicy.safeParse({
      apiVersion: 'policy.meshviz.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'p', namespace: 'billing' },
      spec: {
        targetRef: { kind: 'Namespace', name: 'billing' },
        requiredAuthenticationRefs: [
          { kind: 'ServiceAccount', name: 'payments' },
          { kind: 'MeshTLSAuthentication', name: 'web' },
        ],
      },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'spec.requiredAuthenticationRefs',
        'names more than one MeshTLSAuthentication or ServiceAccount; put every identity into one MeshTLSAuthentication',
      ],
    ]);
  });

  it("refuses a Namespace target other than the policy's own namespace", () => {
    const text = POLICY.replace('{ group: policy.meshviz.io, kind: Server, name: ledger-http }', '{ kind: Namespace, name: bookshop }');
    expect(errorsOf(text)).toContain(
      'policy/x.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.targetRef.name: a Namespace target must be the policy\'s own namespace "billing"',
    );
  });
});

describe('MeshTLSAuthentication', () => {
  const authn = (spec: string) =>
    `apiVersion: policy.meshviz.io/v1\nkind: MeshTLSAuthentication\nmetadata: { name: payments, namespace: billing }\nspec:\n${spec}`;

  it('accepts exact, any and namespace identities', () => {
    const text = authn(
      '  identities:\n    - payments.billing.serviceaccount.identity.meshviz.cluster.local\n    - "*"\n    - "*.bookshop.serviceaccount.identity.meshviz.cluster.local"\n',
    );
    expect(errorsOf(text)).toEqual([]);
  });

  it('refuses identities that are none of the three forms, naming the entry', () => {
    const text = authn('  identities:\n    - payments.billing\n    - "*.*.serviceaccount.identity.meshviz.cluster.local"\n');
    const hint =
      'must be "*", an identity name "<sa>.<ns>.serviceaccount.identity.meshviz.<trust-domain>" or "*.<ns>.serviceaccount.identity.meshviz.<trust-domain>"';
    expect(errorsOf(text)).toEqual([
      `policy/x.yaml: MeshTLSAuthentication billing/payments: spec.identities.0: ${hint}`,
      `policy/x.yaml: MeshTLSAuthentication billing/payments: spec.identities.1: ${hint}`,
    ]);
  });

  it('needs exactly one of identities and identityRefs', () => {
    expect(errorsOf(authn('  {}\n'))).toEqual([
      'policy/x.yaml: MeshTLSAuthentication billing/payments: spec: must set exactly one of identities and identityRefs',
    ]);
    const both = authn('  identities: ["*"]\n  identityRefs: [{ kind: Namespace, name: billing }]\n');
    expect(errorsOf(both)).toEqual([
      'policy/x.yaml: MeshTLSAuthentication billing/payments: spec: must set exactly one of identities and identityRefs',
    ]);
  });

  it('refuses a namespace on a Namespace ref', () => {
    expect(errorsOf(authn('  identityRefs: [{ kind: Namespace, name: billing, namespace: billing }]\n'))).toEqual([
      'policy/x.yaml: MeshTLSAuthentication billing/payments: spec.identityRefs.0.namespace: a Namespace ref has no namespace of its own',
    ]);
  });
});

describe('NetworkAuthentication', () => {
  const authn = (networks: string) =>
    `apiVersion: policy.meshviz.io/v1\nkind: NetworkAuthentication\nmetadata: { name: cluster, namespace: billing }\nspec:\n  networks:\n${networks}`;

  it('accepts IPv4 and IPv6 networks with exceptions inside them', () => {
    const text = authn('    - { cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.3.4/32] }\n    - { cidr: "fd00::/8", except: ["fd00:1::/32"] }\n    - { cidr: 0.0.0.0/0 }\n');
    expect(errorsOf(text)).toEqual([]);
  });

  it('refuses bad CIDRs and exceptions outside their network, each at its path', () => {
    const text = authn(
      '    - { cidr: 10.0.0.1/8 }\n    - { cidr: 10.0.0.0 }\n    - { cidr: "fd00::/129" }\n    - { cidr: 192.168.0.0/16, except: [10.0.0.0/8, "::1/128"] }\n    - { cidr: 300.1.1.1/32 }\n',
    );
    expect(errorsOf(text)).toEqual([
      'policy/x.yaml: NetworkAuthentication billing/cluster: spec.networks.0.cidr: "10.0.0.1/8" has bits set past its /8 prefix: the network is 10.0.0.0/8',
      'policy/x.yaml: NetworkAuthentication billing/cluster: spec.networks.1.cidr: "10.0.0.0" must be a CIDR such as 10.0.0.0/8 or fd00::/8 (add /32 or /128 for one address)',
      'policy/x.yaml: NetworkAuthentication billing/cluster: spec.networks.2.cidr: "fd00::/129" prefix "/129" must be 0 to 128',
      'policy/x.yaml: NetworkAuthentication billing/cluster: spec.networks.3.except.0: "10.0.0.0/8" is not inside 192.168.0.0/16',
      'policy/x.yaml: NetworkAuthentication billing/cluster: spec.networks.3.except.1: "::1/128" is not inside 192.168.0.0/16',
      'policy/x.yaml: NetworkAuthentication billing/cluster: spec.networks.4.cidr: "300.1.1.1/32" "300.1.1.1" is not an IPv4 or IPv6 address',
    ]);
  });

  it('refuses an empty network list', () => {
    expect(errorsOf(authn('    []\n').replace('networks:\n    []', 'networks: []'))).toEqual([
      'policy/x.yaml: NetworkAuthentication billing/cluster: spec.networks: must name at least one network',
    ]);
  });
});

describe('HTTPRoute and GRPCRoute', () => {
  const base = { metadata: { name: 'r', namespace: 'billing' } };
  const parent = [{ group: 'policy.meshviz.io', kind: 'Server', name: 'ledger-http' }];

  it('applies the Gateway API defaults: no rules, no matches or no path all mean PathPrefix "/"', () => {
    const route = (spec: object) =>
      HTTPRoute.parse({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', ...base, spec: { parentRefs: parent, ...spec } });
    const all = [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }];
    expect(route({}).spec.rules).toEqual(all);
    expect(route({ rules: [{}] }).spec.rules).toEqual(all);
    expect(route({ rules: [{ matches: [{ method: 'GET' }] }] }).spec.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' }, method: 'GET' }] },
    ]);
    expect(route({ rules: [{ matches: [{ path: { value: '/entries' } }] }] }).spec.rules[0]?.matches[0]?.path).toEqual({
      type: 'PathPrefix',
      value: '/entries',
    });
  });

  it('accepts policy.meshviz.io/v1 as the routes apiVersion too', () => {
    const r = GRPCRoute.safeParse({ apiVersion: 'policy.meshviz.io/v1', kind: 'GRPCRoute', ...base, spec: { parentRefs: parent } });
    expect(r.success && r.data.spec.rules).toEqual([{ matches: [] }]);
  });

  it('refuses parents that are neither Servers nor Services, Gateway fields meshviz does not support, bad paths and regexes', () => {
    const text = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: entries, namespace: billing }
spec:
  parentRefs: [{ name: ledger-gw, kind: Gateway }, { group: policy.meshviz.io, kind: Server, name: ledger-http, namespace: bookshop, port: 8080 }]
  hostnames: [ledger]
  rules:
    - matches:
        - path: { type: Exact, value: entries }
          queryParams: [{ name: a, value: b }]
        - path: { type: RegularExpression, value: "/entries/(" }
          headers: [{ name: "x y", value: "1" }]
          method: FETCH
      backendRefs: [{ name: ledger }]
`;
    const r = 'policy/x.yaml: HTTPRoute billing/entries';
    expect(errorsOf(text)).toEqual([
      `${r}: spec.parentRefs.0.kind: must be "Server" (an inbound route, authorized per route) or "Service" (an outbound route of the Service's callers)`,
      `${r}: spec.parentRefs.1.port: unsupported field: a Server parent's port is the Server's own`,
      `${r}: spec.rules.0.matches.0.path.value: must start with "/" for Exact`,
      `${r}: spec.rules.0.matches.0.queryParams: unsupported field: meshviz routes do not match query parameters`,
      `${r}: spec.rules.0.matches.1.path.value: "/entries/(" is not a valid regular expression`,
      `${r}: spec.rules.0.matches.1.method: Invalid option: expected one of "GET"|"HEAD"|"POST"|"PUT"|"DELETE"|"CONNECT"|"OPTIONS"|"TRACE"|"PATCH"`,
      `${r}: spec.rules.0.matches.1.headers.0.name: must be an HTTP header name`,
      `${r}: spec.hostnames: unsupported field: a meshviz route applies to its parent (a Server's workload or a Service's authority): there are no hostnames to match`,
      // Route-wide checks run even when fields failed, so one pass names everything.
      `${r}: spec.parentRefs.1.namespace: a Server parent must be in the route's own namespace "billing"`,
      `${r}: spec.rules.0.backendRefs: unsupported field: a route attached to a Server serves the workload itself; there are no backends to pick`,
    ]);
  });

  it('refuses a parent in another namespace', () => {
    const text = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: entries, namespace: billing }
spec:
  parentRefs: [{ group: policy.meshviz.io, kind: Server, name: ledger-http, namespace: bookshop }]
`;
    expect(errorsOf(`${SERVER}---${text}`)).toEqual([
      'policy/x.yaml: HTTPRoute billing/entries: spec.parentRefs.0.namespace: a Server parent must be in the route\'s own namespace "billing"',
    ]);
  });

  it('refuses gRPC regular expressions and a method match naming nothing', () => {
    const r = GRPCRoute.safeParse({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GRPCRoute',
      ...base,
      spec: { parentRefs: parent, rules: [{ matches: [{ method: { type: 'RegularExpression', service: 'a.B' } }, { method: {} }] }] },
    });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['spec.rules.0.matches.0.method.type', 'must be "Exact": meshviz matches gRPC services and methods exactly'],
      ['spec.rules.0.matches.1.method', 'must set service, method or both'],
    ]);
  });
});

describe('schemas stand alone', () => {
  it('parse without the loader (for callers that build resources in code)', () => {
    const s = Server.parse({
      apiVersion: 'policy.meshviz.io/v1',
      kind: 'Server',
      metadata: { name: 'a', namespace: 'b' },
      spec: { podSelector: {}, port: 8080 },
    });
    expect(s.spec).toEqual({ podSelector: {}, port: 8080, proxyProtocol: 'unknown', accessPolicy: 'deny' });
  });
});
