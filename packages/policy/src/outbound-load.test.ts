import type { DestinationsFile } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { formatPolicyIssue } from './issues.js';
import { validateDocuments } from './load.js';
import { DEMO_MESH, demoDestinations } from './testing/mesh.js';

const BASE = demoDestinations(
  { namespace: 'bookshop', service: 'catalog-v2' },
  { namespace: 'bookshop', service: 'search', authority: 'search.bookshop.svc.cluster.local:8080' },
  { namespace: 'bookshop', service: 'search', authority: 'search.bookshop.svc.cluster.local:9090' },
);

function check(text: string, destinations: DestinationsFile | null = BASE) {
  const result = validateDocuments([{ file: 'policy/x.yaml', text }], DEMO_MESH, destinations ? { destinations } : {});
  return result.ok ? { warnings: result.warnings.map(formatPolicyIssue) } : { errors: result.errors.map(formatPolicyIssue) };
}

const HEAD = (kind: string, name: string, annotations = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: bookshop${annotations ? `\n  annotations:\n${annotations}` : ''}
`;

describe('outbound routes: what the loader refuses', () => {
  it('refuses a route that mixes Server and Service parents, and Service parents without the core group', () => {
    const text = `${HEAD('HTTPRoute', 'mixed')}spec:
  parentRefs:
    - { group: policy.meshviz.io, kind: Server, name: ledger-http }
    - { group: core, kind: Service, name: catalog }
    - { kind: Service, name: reviews }
    - { group: gateway.networking.k8s.io, kind: Service, name: web, sectionName: http }
    - { group: core, kind: Service, name: web, port: 70000 }
`;
    const r = 'policy/x.yaml: HTTPRoute bookshop/mixed';
    expect(check(text)).toEqual({
      errors: [
        `${r}: spec.parentRefs.2.group: must be "" or "core" for a Service parent (an omitted group means the Gateway API's own)`,
        `${r}: spec.parentRefs.3.sectionName: unsupported field: meshviz parents have no sections (a Service parent may name a port)`,
        `${r}: spec.parentRefs.3.group: must be "" or "core" for a Service parent (an omitted group means the Gateway API's own)`,
        `${r}: spec.parentRefs.4.port: must be 1 to 65535`,
        `${r}: spec.parentRefs: mixes Server and Service parents: a route is inbound (attached to Servers) or outbound (attached to Services), not both`,
      ],
    });
  });

  it('refuses bad backendRefs and timeouts, each at its field', () => {
    const text = `${HEAD('HTTPRoute', 'split')}spec:
  parentRefs: [{ group: core, kind: Service, name: catalog }]
  rules:
    - backendRefs:
        - { group: apps, kind: Deployment, name: catalog }
        - { name: catalog-v2, namespace: billing, weight: -1 }
        - { name: Catalog, filters: [{ type: RequestHeaderModifier }] }
      timeouts: { request: "10", backendRequest: soon }
    - backendRefs: [{ name: catalog, weight: 0 }, { name: catalog-v2, weight: 0 }]
      timeouts: { request: 1s, backendRequest: 2s, total: 3s }
`;
    const r = 'policy/x.yaml: HTTPRoute bookshop/split';
    expect(check(text)).toEqual({
      errors: [
        `${r}: spec.rules.0.backendRefs.0.group: must be "" or "core": backends are Services`,
        `${r}: spec.rules.0.backendRefs.0.kind: must be "Service": backends are Services`,
        `${r}: spec.rules.0.backendRefs.1.weight: must be 0 to 1000000`,
        `${r}: spec.rules.0.backendRefs.2.name: must be a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")`,
        `${r}: spec.rules.0.backendRefs.2.filters: unsupported field: meshviz routes do not rewrite or redirect requests (inject faults with the fault.meshviz.io annotations)`,
        `${r}: spec.rules.0.timeouts.request: must be a duration such as 500ms, 10s or 1m30s (0s for none)`,
        `${r}: spec.rules.0.timeouts.backendRequest: must be a duration such as 500ms, 10s or 1m30s (0s for none)`,
        `${r}: spec.rules.1.timeouts.total: unknown field`,
        `${r}: spec.rules.1.timeouts.backendRequest: must not be longer than request (1s)`,
        `${r}: spec.rules.0.backendRefs.1.namespace: a backend must be in the route's own namespace "bookshop" (meshviz has no ReferenceGrant)`,
        `${r}: spec.rules.1.backendRefs: gives every backend weight 0: the rule would send its requests nowhere`,
      ],
    });
    const longer = `${HEAD('HTTPRoute', 'attempts')}spec:
  parentRefs: [{ group: core, kind: Service, name: catalog }]
  rules: [{ timeouts: { request: 1s, backendRequest: 2s } }]
`;
    expect(check(longer)).toEqual({
      errors: ['policy/x.yaml: HTTPRoute bookshop/attempts: spec.rules.0.timeouts.backendRequest: must not be longer than request (1s)'],
    });
  });

  it('refuses timeouts on a GRPCRoute (the Gateway API has none there) and outbound fields on an inbound route', () => {
    const grpc = `${HEAD('GRPCRoute', 'rpc')}spec:
  parentRefs: [{ group: core, kind: Service, name: catalog }]
  rules: [{ timeouts: { request: 1s } }]
`;
    const inbound = `${HEAD('HTTPRoute', 'entries', '    retry.meshviz.io/http: 5xx')}spec:
  parentRefs: [{ group: policy.meshviz.io, kind: Server, name: web-http }]
  rules: [{ timeouts: { request: 1s } }]
`;
    const server = `apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: web-http, namespace: bookshop }
spec: { podSelector: { matchLabels: { app: web } }, port: http }
`;
    expect(check(`${grpc}---\n${inbound}---\n${server}`)).toEqual({
      errors: [
        'policy/x.yaml: GRPCRoute bookshop/rpc: spec.rules.0.timeouts: unsupported field: a GRPCRoute has no timeouts in the Gateway API; use the timeout.meshviz.io annotations on the route',
        'policy/x.yaml: HTTPRoute bookshop/entries: spec.rules.0.timeouts: unsupported field: meshviz inbound routes have no timeouts (attach the route to a Service for outbound timeouts)',
        'policy/x.yaml: HTTPRoute bookshop/entries: metadata.annotations.retry.meshviz.io/http: is an outbound annotation, but this route is attached to a Server (inbound); attach the route to a Service to route its callers',
      ],
    });
  });

  it('names the annotation and the value of every bad route annotation', () => {
    const annotations = [
      ['retry.meshviz.io/http', '5xxx,504'],
      ['retry.meshviz.io/grpc', 'unavailable,ok'],
      ['retry.meshviz.io/limit', '11'],
      ['retry.meshviz.io/timeout', '3 seconds'],
      ['retry.meshviz.io/limits', '2'],
      ['timeout.meshviz.io/request', 'soon'],
      ['timeout.meshviz.io/response', '600-500'],
      ['timeout.meshviz.io/idle', '-1s'],
      ['fault.meshviz.io/abort', '0.1'],
      ['fault.meshviz.io/delay', '1.5:1s'],
      ['balancer.meshviz.io/failure-accrual', 'consecutive'],
    ]
      .map(([k, v]) => `    ${k}: "${v}"`)
      .join('\n');
    const text = `${HEAD('HTTPRoute', 'bad', annotations)}spec:
  parentRefs: [{ group: core, kind: Service, name: catalog }]
`;
    const r = 'policy/x.yaml: HTTPRoute bookshop/bad: metadata.annotations';
    expect(check(text)).toEqual({
      errors: [
        `${r}.retry.meshviz.io/http: invalid value "5xxx,504": "5xxx" is not a retryable status: must be a comma-separated list of 5xx, gateway-error, a status (504) or a range (500-504)`,
        `${r}.retry.meshviz.io/grpc: invalid value "unavailable,ok": "ok" is not a gRPC status to retry: must be a comma-separated list of cancelled, unknown, invalid-argument, deadline-exceeded, not-found, already-exists, permission-denied, resource-exhausted, failed-precondition, aborted, out-of-range, unimplemented, internal, unavailable, data-loss, unauthenticated`,
        `${r}.retry.meshviz.io/limit: invalid value "11": must be a whole number from 0 to 10`,
        `${r}.retry.meshviz.io/timeout: invalid value "3 seconds": must be a duration such as 500ms, 10s or 1m30s (0s for none)`,
        `${r}.retry.meshviz.io/limits: unknown annotation: meshviz reads retry.meshviz.io/http, retry.meshviz.io/grpc, retry.meshviz.io/limit, retry.meshviz.io/timeout`,
        `${r}.timeout.meshviz.io/request: invalid value "soon": must be a duration such as 500ms, 10s or 1m30s (0s for none)`,
        `${r}.timeout.meshviz.io/response: invalid value "600-500": must be a duration such as 500ms, 10s or 1m30s (0s for none)`,
        `${r}.timeout.meshviz.io/idle: invalid value "-1s": must be a duration such as 500ms, 10s or 1m30s (0s for none)`,
        `${r}.fault.meshviz.io/abort: invalid value "0.1": must be "<share>:<status>", e.g. 0.1:503`,
        `${r}.fault.meshviz.io/delay: invalid value "1.5:1s": must be "<share>:<duration>", e.g. 0.05:200ms: "1.5" is not a share from 0 to 1 (0.1 for a tenth of the requests)`,
        `${r}.balancer.meshviz.io/failure-accrual: is a Service annotation: failure accrual belongs to a Service's endpoints, not to a route; annotate the Service`,
      ],
    });
  });

  it('refuses bad fault statuses and durations, empty status ranges and annotation values that are not strings', () => {
    const annotations = [
      '    fault.meshviz.io/abort: "0.1:99"',
      '    fault.meshviz.io/delay: "0.1:0s"',
      '    retry.meshviz.io/http: "504-500"',
      '    retry.meshviz.io/limit: 3',
    ].join('\n');
    const text = `${HEAD('HTTPRoute', 'bad', annotations)}spec:
  parentRefs: [{ group: core, kind: Service, name: catalog }]
`;
    const r = 'policy/x.yaml: HTTPRoute bookshop/bad: metadata.annotations';
    expect(check(text)).toEqual({
      errors: [
        `${r}.retry.meshviz.io/limit: an annotation value must be a string: quote it ("3")`,
        `${r}.fault.meshviz.io/abort: invalid value "0.1:99": must be "<share>:<status>", e.g. 0.1:503: "99" is not an HTTP status from 200 to 599`,
        `${r}.fault.meshviz.io/delay: invalid value "0.1:0s": must be "<share>:<duration>", e.g. 0.05:200ms: must be longer than 0s`,
        `${r}.retry.meshviz.io/http: invalid value "504-500": "504-500" is an empty range: the first status must not exceed the second`,
      ],
    });
  });
});

describe('Service documents', () => {
  const service = (name: string, annotations: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: bookshop
  annotations:
${annotations}
${extra}`;

  it('refuses bad failure-accrual values, penalties out of order, and a Service discovery does not list', () => {
    const bad = service(
      'reviews',
      [
        '    balancer.meshviz.io/failure-accrual: unified',
        '    balancer.meshviz.io/failure-accrual-consecutive-max-failures: "0"',
        '    balancer.meshviz.io/failure-accrual-consecutive-jitter-ratio: "1.5"',
        '    balancer.meshviz.io/failure-accrual-consecutive-min-penalty: 10s',
        '    balancer.meshviz.io/failure-accrual-consecutive-max-penalty: 5s',
      ].join('\n'),
    );
    const missing = service('inventory', '    retry.meshviz.io/http: 5xx');
    const r = 'policy/x.yaml: Service bookshop/reviews: metadata.annotations';
    expect(check(`${bad}---\n${missing}`)).toEqual({
      errors: [
        `${r}.balancer.meshviz.io/failure-accrual: invalid value "unified": must be "consecutive" (trip after consecutive failures; meshviz has no other mode)`,
        `${r}.balancer.meshviz.io/failure-accrual-consecutive-max-failures: invalid value "0": must be a whole number from 1 to 1000`,
        `${r}.balancer.meshviz.io/failure-accrual-consecutive-jitter-ratio: invalid value "1.5": must be a ratio from 0 to 1, such as 0.5`,
        `${r}.balancer.meshviz.io/failure-accrual-consecutive-max-penalty: the max penalty (5000 ms) is shorter than the min penalty (10000 ms)`,
        'policy/x.yaml: Service bookshop/inventory: metadata.name: Service bookshop/inventory is not in discovery: a Service document annotates a Service discovery knows',
      ],
    });
  });

  it('takes apiVersion v1 only, reads no spec, and refuses other top-level fields', () => {
    const text = `${service('reviews', '    retry.meshviz.io/http: 5xx', 'spec: { selector: { app: reviews }, ports: [{ port: 80 }] }\nstatus: {}\n')}---\n${service('web', '    a: b').replace('apiVersion: v1', 'apiVersion: v2')}`;
    expect(check(text)).toEqual({
      errors: [
        'policy/x.yaml: Service bookshop/reviews: status: unknown field',
        'policy/x.yaml: Service bookshop/web: apiVersion: "v2" is not an apiVersion of Service: use v1',
      ],
    });
  });
});

describe('outbound references', () => {
  it('refuses backends discovery does not list, at the name or the port, and a policy targeting an outbound route', () => {
    const text = `${HEAD('HTTPRoute', 'split')}spec:
  parentRefs: [{ group: core, kind: Service, name: catalog }]
  rules:
    - backendRefs: [{ name: catalog-v3 }, { name: search }, { name: search, port: 7070 }, { name: search, port: 9090 }]
---
apiVersion: policy.meshviz.io/v1
kind: AuthorizationPolicy
metadata: { name: split-from-web, namespace: bookshop }
spec:
  targetRef: { group: gateway.networking.k8s.io, kind: HTTPRoute, name: split }
  requiredAuthenticationRefs: [{ kind: ServiceAccount, name: web }]
`;
    const r = 'policy/x.yaml: HTTPRoute bookshop/split';
    expect(check(text)).toEqual({
      errors: [
        `${r}: spec.rules.0.backendRefs.0.name: Service bookshop/catalog-v3 is not in discovery`,
        `${r}: spec.rules.0.backendRefs.1.port: Service bookshop/search is in discovery on ports 8080, 9090: name the port`,
        `${r}: spec.rules.0.backendRefs.2.port: Service bookshop/search is in discovery on ports 8080, 9090, not 7070`,
        'policy/x.yaml: AuthorizationPolicy bookshop/split-from-web: spec.targetRef.name: HTTPRoute bookshop/split is an outbound route (attached to a Service): authorization policies target inbound routes (attached to a Server)',
      ],
    });
    // Without the table (the policy service, `meshviz policy check`) discovery is not checked.
    const withoutPolicy = text.slice(0, text.indexOf('---'));
    expect(check(withoutPolicy, null)).toEqual({ warnings: [] });
  });
});

describe('outbound warnings', () => {
  it('warns about routes attached to nothing and settings that ask for nothing', () => {
    const text = `${HEAD('HTTPRoute', 'orphan', '    retry.meshviz.io/limit: "3"\n    retry.meshviz.io/timeout: 1s')}spec:
  parentRefs:
    - { group: core, kind: Service, name: inventory }
    - { group: core, kind: Service, name: search, port: 7070 }
    - { group: core, kind: Service, name: search, port: 8080 }
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: bookshop
  annotations:
    balancer.meshviz.io/failure-accrual-consecutive-max-failures: "3"
    retry.meshviz.io/limit: "2"
---
${HEAD('HTTPRoute', 'retries-reviews', '    retry.meshviz.io/grpc: unavailable')}spec:
  parentRefs: [{ group: core, kind: Service, name: reviews }]
`;
    const r = 'policy/x.yaml: HTTPRoute bookshop/orphan';
    expect(check(text)).toEqual({
      warnings: [
        `${r}: spec.parentRefs.0: Service bookshop/inventory is not in discovery: the route applies to nothing`,
        `${r}: spec.parentRefs.1.port: Service bookshop/search is in discovery on ports 8080, 9090 only: the route applies to nothing`,
        `${r}: metadata.annotations.retry.meshviz.io/limit: has no effect: retries are asked for by retry.meshviz.io/http or retry.meshviz.io/grpc, on the route or its Service`,
        `${r}: metadata.annotations.retry.meshviz.io/timeout: has no effect: retries are asked for by retry.meshviz.io/http or retry.meshviz.io/grpc, on the route or its Service`,
        // reviews' limit is used by the route that asks for gRPC retries, so only the accrual setting is idle.
        'policy/x.yaml: Service bookshop/reviews: metadata.annotations.balancer.meshviz.io/failure-accrual-consecutive-max-failures: has no effect without balancer.meshviz.io/failure-accrual: consecutive',
      ],
    });
  });

  it('loads outbound resources without the workloads (the destination service may have none)', () => {
    const text = `apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: web-http, namespace: bookshop }
spec: { podSelector: { matchLabels: { app: nothing } }, port: http }
---
${HEAD('HTTPRoute', 'r')}spec:
  parentRefs: [{ group: core, kind: Service, name: catalog }]
`;
    const result = validateDocuments([{ file: 'policy/x.yaml', text }], null, { destinations: BASE });
    expect(result.ok && result.warnings).toEqual([]);
    // With the workloads the same Server is warned about (it selects nothing).
    expect(check(text)).toEqual({
      warnings: ['policy/x.yaml: Server bookshop/web-http: spec.podSelector: selects no workload of namespace bookshop'],
    });
  });
});
