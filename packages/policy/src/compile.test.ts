import { type CompiledAuthorization, type DefaultPolicy, InboundPolicy, type PolicyWorkload } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { PolicyCompileError } from './authorizations.js';
import { compileInboundPolicy } from './compile.js';
import { AuthorizationPolicy, Server } from './resources.js';
import { demoWorkload, loadTexts } from './testing/mesh.js';

const CTX = { trustDomain: 'cluster.local', clusterNetworks: ['10.0.0.0/8', '127.0.0.0/8'], revision: 7 };
const ledger = demoWorkload('billing', 'ledger');

/** Compiles and checks the result against the contract's own schema, which must leave it unchanged. */
function compile(workload: PolicyWorkload, ...texts: string[]) {
  const policy = compileInboundPolicy(loadTexts(...texts), workload, CTX);
  expect(InboundPolicy.parse(policy)).toEqual(policy);
  return policy;
}

const server = (name: string, extra = '') => `apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: ${name}, namespace: billing }
spec:
  podSelector: { matchLabels: { app: ledger } }
  port: http
${extra}`;
const meshTls = (name: string, spec: string) => `apiVersion: policy.meshviz.io/v1
kind: MeshTLSAuthentication
metadata: { name: ${name}, namespace: billing }
spec:
${spec}`;
const policy = (name: string, target: string, refs: string) => `apiVersion: policy.meshviz.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: billing }
spec:
  targetRef: ${target}
  requiredAuthenticationRefs: ${refs}
`;
const TO_SERVER = '{ group: policy.meshviz.io, kind: Server, name: ledger-http }';

const PROBE_ROUTE = {
  kind: 'default',
  name: 'probe',
  matches: [{ path: { type: 'Exact', value: '/healthz' }, method: 'GET', headers: [] }],
  authorizations: [
    { kind: 'default', name: 'default:probe', authentication: { kind: 'unauthenticated' }, networks: [], audit: false },
  ],
};
const MATCH_ALL = [{ headers: [] }];
const CLUSTER = [
  { cidr: '10.0.0.0/8', except: [] },
  { cidr: '127.0.0.0/8', except: [] },
];
const authz = (name: string, authentication: CompiledAuthorization['authentication'], networks: CompiledAuthorization['networks'] = []) => ({
  kind: 'authorizationpolicy',
  name,
  authentication,
  networks,
  audit: false,
});

describe('ports no Server covers', () => {
  const expected: Record<DefaultPolicy, CompiledAuthorization[]> = {
    'all-unauthenticated': [
      { kind: 'default', name: 'default:all-unauthenticated', authentication: { kind: 'unauthenticated' }, networks: [], audit: false },
    ],
    'all-authenticated': [{ kind: 'default', name: 'default:all-authenticated', authentication: { kind: 'tls' }, networks: [], audit: false }],
    'cluster-authenticated': [
      { kind: 'default', name: 'default:cluster-authenticated', authentication: { kind: 'tls' }, networks: CLUSTER, audit: false },
    ],
    'cluster-unauthenticated': [
      { kind: 'default', name: 'default:cluster-unauthenticated', authentication: { kind: 'unauthenticated' }, networks: CLUSTER, audit: false },
    ],
    deny: [],
    audit: [{ kind: 'audit', name: 'audit', authentication: { kind: 'unauthenticated' }, networks: [], audit: true }],
  };

  for (const [defaultPolicy, authorizations] of Object.entries(expected)) {
    it(`compile the workload's default policy ${defaultPolicy}, probes allowed`, () => {
      const workload = { ...demoWorkload('billing', 'payments'), defaultPolicy: defaultPolicy as DefaultPolicy };
      expect(compile(workload)).toEqual({
        workload: { namespace: 'billing', name: 'payments' },
        revision: 7,
        defaultPolicy,
        clusterNetworks: ['10.0.0.0/8', '127.0.0.0/8'],
        probePaths: ['/healthz'],
        ports: [
          {
            port: 8080,
            protocol: 'unknown',
            server: { kind: 'default', name: defaultPolicy },
            routes: [PROBE_ROUTE, { kind: 'default', name: 'default', matches: MATCH_ALL, authorizations }],
            authorizations,
          },
        ],
      });
    });
  }
});

describe('a Server with deny and an AuthorizationPolicy', () => {
  const identities = [
    [
      'an exact identity',
      '  identities: [payments.billing.serviceaccount.identity.meshviz.cluster.local]\n',
      { kind: 'identities', names: ['payments.billing.serviceaccount.identity.meshviz.cluster.local'], suffixes: [] },
    ],
    [
      'a ServiceAccount ref (its namespace defaulting to the authentication’s)',
      '  identityRefs: [{ kind: ServiceAccount, name: payments }, { kind: ServiceAccount, name: web, namespace: bookshop }]\n',
      {
        kind: 'identities',
        names: [
          'payments.billing.serviceaccount.identity.meshviz.cluster.local',
          'web.bookshop.serviceaccount.identity.meshviz.cluster.local',
        ],
        suffixes: [],
      },
    ],
    [
      'a namespace wildcard',
      '  identities: ["*.bookshop.serviceaccount.identity.meshviz.cluster.local"]\n',
      { kind: 'identities', names: [], suffixes: ['.bookshop.serviceaccount.identity.meshviz.cluster.local'] },
    ],
    [
      'a Namespace ref',
      '  identityRefs: [{ kind: Namespace, name: bookshop }]\n',
      { kind: 'identities', names: [], suffixes: ['.bookshop.serviceaccount.identity.meshviz.cluster.local'] },
    ],
    ['"*" (any mesh identity)', '  identities: ["*", payments.billing.serviceaccount.identity.meshviz.cluster.local]\n', { kind: 'tls' }],
  ] as const satisfies readonly (readonly [string, string, unknown])[];

  for (const [what, spec, authentication] of identities) {
    it(`allows ${what} on the covered port only; the other port keeps the default`, () => {
      const out = compile(
        ledger,
        server('ledger-http'),
        meshTls('clients', spec),
        policy('ledger-from-payments', TO_SERVER, '[{ kind: MeshTLSAuthentication, name: clients }]'),
      );
      const allowed = [authz('ledger-from-payments', authentication as CompiledAuthorization['authentication'])];
      expect(out.ports).toEqual([
        {
          port: 8080,
          protocol: 'unknown',
          server: { kind: 'server', name: 'ledger-http' },
          routes: [PROBE_ROUTE, { kind: 'default', name: 'default', matches: MATCH_ALL, authorizations: allowed }],
          authorizations: allowed,
        },
        {
          port: 9000,
          protocol: 'unknown',
          server: { kind: 'default', name: 'all-unauthenticated' },
          routes: [
            PROBE_ROUTE,
            {
              kind: 'default',
              name: 'default',
              matches: MATCH_ALL,
              authorizations: [
                { kind: 'default', name: 'default:all-unauthenticated', authentication: { kind: 'unauthenticated' }, networks: [], audit: false },
              ],
            },
          ],
          authorizations: [
            { kind: 'default', name: 'default:all-unauthenticated', authentication: { kind: 'unauthenticated' }, networks: [], audit: false },
          ],
        },
      ]);
    });
  }

  it('compiles a ServiceAccount ref on the policy itself to that identity', () => {
    const out = compile(ledger, server('ledger-http'), policy('from-payments', TO_SERVER, '[{ kind: ServiceAccount, name: payments }]'));
    expect(out.ports[0]?.authorizations).toEqual([
      authz('from-payments', { kind: 'identities', names: ['payments.billing.serviceaccount.identity.meshviz.cluster.local'], suffixes: [] }),
    ]);
  });

  it('covers nothing on a workload the selector does not match', () => {
    const payments = demoWorkload('billing', 'payments');
    expect(compile(payments, server('ledger-http')).ports.map((p) => p.server)).toEqual([{ kind: 'default', name: 'all-unauthenticated' }]);
  });
});

const NETWORKS = `apiVersion: policy.meshviz.io/v1
kind: NetworkAuthentication
metadata: { name: office, namespace: billing }
spec:
  networks:
    - { cidr: 10.0.0.0/8, except: [10.9.0.0/16] }
    - { cidr: "fd00::/8" }
`;

describe('NetworkAuthentication', () => {
  const networks = [
    { cidr: '10.0.0.0/8', except: ['10.9.0.0/16'] },
    { cidr: 'fd00::/8', except: [] },
  ];

  it('with a MeshTLSAuthentication needs both: the identities, from the networks', () => {
    const out = compile(
      ledger,
      server('ledger-http'),
      NETWORKS,
      meshTls('payments', '  identityRefs: [{ kind: ServiceAccount, name: payments }]\n'),
      policy(
        'payments-from-office',
        TO_SERVER,
        '[{ kind: NetworkAuthentication, name: office }, { group: policy.meshviz.io, kind: MeshTLSAuthentication, name: payments }]',
      ),
    );
    expect(out.ports[0]?.authorizations).toEqual([
      authz(
        'payments-from-office',
        { kind: 'identities', names: ['payments.billing.serviceaccount.identity.meshviz.cluster.local'], suffixes: [] },
        networks,
      ),
    ]);
  });

  it('alone lets in anyone from the networks, TLS or not', () => {
    const out = compile(ledger, server('ledger-http'), NETWORKS, policy('office', TO_SERVER, '[{ kind: NetworkAuthentication, name: office }]'));
    expect(out.ports[0]?.authorizations).toEqual([authz('office', { kind: 'unauthenticated' }, networks)]);
  });
});

const route = (kind: 'HTTPRoute' | 'GRPCRoute', name: string, rules: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: { name: ${name}, namespace: billing }
spec:
  parentRefs: [{ group: policy.meshviz.io, kind: Server, name: ledger-http }]
${rules}`;

describe('routes', () => {
  const fromPayments = policy('entries-from-payments', '{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: entries }', '[{ kind: ServiceAccount, name: payments }]');
  const fromWeb = policy('any-from-web', TO_SERVER, '[{ kind: ServiceAccount, name: web, namespace: bookshop }]');
  const nsWide = policy('billing-internal', '{ kind: Namespace, name: billing }', '[{ kind: MeshTLSAuthentication, name: billing }]');
  const billing = meshTls('billing', '  identityRefs: [{ kind: Namespace, name: billing }]\n');
  const payments = authz('entries-from-payments', { kind: 'identities', names: ['payments.billing.serviceaccount.identity.meshviz.cluster.local'], suffixes: [] });
  const web = authz('any-from-web', { kind: 'identities', names: ['web.bookshop.serviceaccount.identity.meshviz.cluster.local'], suffixes: [] });
  const internal = authz('billing-internal', { kind: 'identities', names: [], suffixes: ['.billing.serviceaccount.identity.meshviz.cluster.local'] });

  it("leaves out outbound routes, even one whose parent Service has the Server's name", () => {
    const outbound = route('HTTPRoute', 'to-ledger', '').replace(
      '{ group: policy.meshviz.io, kind: Server, name: ledger-http }',
      '{ group: core, kind: Service, name: ledger-http }',
    );
    const out = compile(ledger, server('ledger-http'), outbound, fromWeb);
    expect(out.ports[0]?.routes.map((r) => [r.kind, r.name])).toEqual([
      ['default', 'probe'],
      ['default', 'default'],
    ]);
  });

  it('authorize per route (route ∪ Server ∪ namespace policies), and probes are no longer authorized by themselves', () => {
    const entries = route('HTTPRoute', 'entries', '  rules:\n    - matches: [{ path: { type: Exact, value: /entries }, method: POST }]\n');
    const health = route('HTTPRoute', 'health', '  rules:\n    - matches: [{ path: { type: PathPrefix, value: /health } }]\n');
    const out = compile(ledger, server('ledger-http', '  proxyProtocol: HTTP/1\n'), entries, health, fromPayments, fromWeb, nsWide, billing);
    expect(out.ports[0]).toEqual({
      port: 8080,
      protocol: 'HTTP/1',
      server: { kind: 'server', name: 'ledger-http' },
      routes: [
        {
          kind: 'HTTPRoute',
          name: 'entries',
          matches: [{ path: { type: 'Exact', value: '/entries' }, method: 'POST', headers: [] }],
          authorizations: [payments, web, internal],
        },
        {
          kind: 'HTTPRoute',
          name: 'health',
          matches: [{ path: { type: 'PathPrefix', value: '/health' }, headers: [] }],
          authorizations: [web, internal],
        },
      ],
      authorizations: [web, internal],
    });
  });

  it('orders matches most specific first (Gateway API precedence), splitting a route whose matches interleave', () => {
    const all = route('HTTPRoute', 'a-all', '  rules: [{}]\n');
    const mixed = route(
      'HTTPRoute',
      'b-mixed',
      '  rules:\n    - matches:\n      - path: { value: /entries }\n      - path: { type: Exact, value: /entries/today }\n      - path: { value: /entries }\n        headers: [{ name: X-Tenant, value: acme }]\n',
    );
    const regex = route('HTTPRoute', 'c-regex', '  rules:\n    - matches: [{ path: { type: RegularExpression, value: "^/e/[0-9]+$" }, method: GET }]\n');
    const grpc = route(
      'GRPCRoute',
      'd-grpc',
      '  rules:\n    - matches: [{ method: { method: Add } }, { method: { service: billing.v1.Ledger, method: Add } }]\n    - {}\n',
    );
    const out = compile(ledger, server('ledger-http'), all, mixed, regex, grpc);
    expect(out.ports[0]?.routes.map((r) => [r.kind, r.name, r.matches])).toEqual([
      [
        'GRPCRoute',
        'd-grpc',
        [
          { method: 'POST', headers: [], grpc: { service: 'billing.v1.Ledger', method: 'Add' } },
          { method: 'POST', headers: [], grpc: { method: 'Add' } },
          { method: 'POST', headers: [], grpc: {} },
        ],
      ],
      ['HTTPRoute', 'b-mixed', [{ path: { type: 'Exact', value: '/entries/today' }, headers: [] }]],
      ['HTTPRoute', 'c-regex', [{ path: { type: 'RegularExpression', value: '^/e/[0-9]+$' }, method: 'GET', headers: [] }]],
      [
        'HTTPRoute',
        'b-mixed',
        [
          { path: { type: 'PathPrefix', value: '/entries' }, headers: [{ name: 'x-tenant', type: 'Exact', value: 'acme' }] },
          { path: { type: 'PathPrefix', value: '/entries' }, headers: [] },
        ],
      ],
      ['HTTPRoute', 'a-all', [{ path: { type: 'PathPrefix', value: '/' }, headers: [] }]],
    ]);
  });

  it('gives an opaque Server connection-level authorizations only', () => {
    const out = compile(ledger, server('ledger-http', '  proxyProtocol: opaque\n'), fromWeb);
    expect(out.ports[0]).toEqual({ port: 8080, protocol: 'opaque', server: { kind: 'server', name: 'ledger-http' }, routes: [], authorizations: [web] });
  });

  it('adds no probe route to a gRPC Server without routes', () => {
    const out = compile(ledger, server('ledger-http', '  proxyProtocol: gRPC\n'), fromWeb);
    expect(out.ports[0]?.routes).toEqual([{ kind: 'default', name: 'default', matches: MATCH_ALL, authorizations: [web] }]);
  });
});

describe('namespace-wide policies and access policies', () => {
  const nsPolicy = policy('billing-internal', '{ kind: Namespace, name: billing }', '[{ kind: ServiceAccount, name: payments }]');
  const internal = authz('billing-internal', { kind: 'identities', names: ['payments.billing.serviceaccount.identity.meshviz.cluster.local'], suffixes: [] });

  it("apply a Namespace-targeted policy to every Server of the namespace, but not to ports the default covers", () => {
    const out = compile(ledger, server('ledger-http'), nsPolicy);
    expect(out.ports.map((p) => [p.server.name, p.authorizations.map((a) => a.name)])).toEqual([
      ['ledger-http', ['billing-internal']],
      ['all-unauthenticated', ['default:all-unauthenticated']],
    ]);
  });

  it('append an audit access policy, flagged, to every route and the port', () => {
    const entries = route('HTTPRoute', 'entries', '  rules:\n    - matches: [{ path: { type: Exact, value: /entries } }]\n');
    const out = compile(ledger, server('ledger-http', '  accessPolicy: audit\n'), entries, nsPolicy);
    const audit = { kind: 'audit', name: 'audit', authentication: { kind: 'unauthenticated' }, networks: [], audit: true };
    expect(out.ports[0]).toEqual({
      port: 8080,
      protocol: 'unknown',
      server: { kind: 'server', name: 'ledger-http' },
      routes: [
        {
          kind: 'HTTPRoute',
          name: 'entries',
          matches: [{ path: { type: 'Exact', value: '/entries' }, headers: [] }],
          authorizations: [internal, audit],
        },
      ],
      authorizations: [internal, audit],
    });
  });

  it('append a cluster-authenticated access policy after the policies', () => {
    const out = compile(ledger, server('ledger-http', '  accessPolicy: cluster-authenticated\n'), nsPolicy);
    const cluster = { kind: 'default', name: 'default:cluster-authenticated', authentication: { kind: 'tls' }, networks: CLUSTER, audit: false };
    expect(out.ports[0]?.routes).toEqual([
      PROBE_ROUTE,
      { kind: 'default', name: 'default', matches: MATCH_ALL, authorizations: [internal, cluster] },
    ]);
  });
});

describe('several Servers on one port', () => {
  it('apply the first by name', () => {
    const out = compile(ledger, server('ledger-http'), server('b-ledger', '  accessPolicy: all-authenticated\n').replace('port: http', 'port: 8080'));
    expect(out.ports[0]?.server).toEqual({ kind: 'server', name: 'b-ledger' });
    expect(out.ports[0]?.authorizations.map((a) => a.name)).toEqual(['default:all-authenticated']);
  });
});

describe('resources that did not come through the loader', () => {
  it('throw when a policy refers to an authentication that was not given', () => {
    const s = Server.parse({
      apiVersion: 'policy.meshviz.io/v1',
      kind: 'Server',
      metadata: { name: 'ledger-http', namespace: 'billing' },
      spec: { podSelector: {}, port: 8080 },
    });
    const p = AuthorizationPolicy.parse({
      apiVersion: 'policy.meshviz.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'p', namespace: 'billing' },
      spec: { targetRef: { kind: 'Server', name: 'ledger-http' }, requiredAuthenticationRefs: [{ kind: 'MeshTLSAuthentication', name: 'gone' }] },
    });
    expect(() => compileInboundPolicy([s, p], ledger, CTX)).toThrow(
      new PolicyCompileError('AuthorizationPolicy billing/p refers to MeshTLSAuthentication billing/gone, which was not given'),
    );
  });
});
