import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPolicyIssue } from './issues.js';
import { loadPolicyDir, type PolicyDocument, validateDocuments } from './load.js';
import { DEMO_MESH } from './testing/mesh.js';

const SERVER = `apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: ledger-http, namespace: billing }
spec: { podSelector: { matchLabels: { app: ledger } }, port: http }
`;
const AUTHN = `apiVersion: policy.meshviz.io/v1
kind: MeshTLSAuthentication
metadata: { name: payments, namespace: billing }
spec:
  identityRefs: [{ kind: ServiceAccount, name: payments }]
`;
const POLICY = `apiVersion: policy.meshviz.io/v1
kind: AuthorizationPolicy
metadata: { name: ledger-from-payments, namespace: billing }
spec:
  targetRef: { group: policy.meshviz.io, kind: Server, name: ledger-http }
  requiredAuthenticationRefs:
    - { group: policy.meshviz.io, kind: MeshTLSAuthentication, name: payments }
`;

function validate(...docs: PolicyDocument[]) {
  const result = validateDocuments(docs, DEMO_MESH);
  return result.ok
    ? { resources: result.resources.map((r) => `${r.kind} ${r.metadata.namespace}/${r.metadata.name}`), warnings: result.warnings.map(formatPolicyIssue) }
    : { errors: result.errors.map(formatPolicyIssue) };
}

describe('validateDocuments', () => {
  it('loads a lockdown spread over files and multi-document YAML, ordered by kind, namespace and name', () => {
    expect(validate({ file: 'policy/billing.yaml', text: `${SERVER}---\n${POLICY}` }, { file: 'policy/authn.yaml', text: AUTHN })).toEqual({
      resources: ['AuthorizationPolicy billing/ledger-from-payments', 'MeshTLSAuthentication billing/payments', 'Server billing/ledger-http'],
      warnings: [],
    });
  });

  it('names file, resource and field of a bad field, and loads nothing when anything is wrong', () => {
    const bad = POLICY.replace('kind: MeshTLSAuthentication', 'kind: MeshTLSAuthn');
    expect(validate({ file: 'policy/billing.yaml', text: `${SERVER}---\n${bad}` }, { file: 'policy/authn.yaml', text: AUTHN })).toEqual({
      errors: [
        'policy/billing.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.requiredAuthenticationRefs.0.kind: Invalid option: expected one of "MeshTLSAuthentication"|"NetworkAuthentication"|"ServiceAccount"',
      ],
    });
  });

  it('names a document by its place when its metadata is missing, and skips empty documents', () => {
    const text = `---\n${SERVER}---\n---\napiVersion: policy.meshviz.io/v1\nkind: Server\nspec: { podSelector: {}, port: 8080 }\n---\n- a list\n`;
    expect(validate({ file: 'policy/a.yaml', text })).toEqual({
      errors: [
        'policy/a.yaml: document 3 (Server): metadata: is required',
        'policy/a.yaml: document 4: must be a mapping with apiVersion, kind, metadata and spec',
      ],
    });
  });

  it('refuses unknown kinds, wrong apiVersions and missing kinds', () => {
    const text = [
      SERVER.replace('kind: Server', 'kind: Servr'),
      SERVER.replace('policy.meshviz.io/v1', 'policy.linkerd.io/v1beta3'),
      'apiVersion: policy.meshviz.io/v1\nmetadata: { name: x, namespace: billing }\n',
    ].join('---\n');
    expect(validate({ file: 'policy/a.yaml', text })).toEqual({
      errors: [
        'policy/a.yaml: Servr billing/ledger-http: kind: unknown kind "Servr": policy resources are Server, AuthorizationPolicy, MeshTLSAuthentication, NetworkAuthentication, HTTPRoute, GRPCRoute, Service',
        'policy/a.yaml: Server billing/ledger-http: apiVersion: "policy.linkerd.io/v1beta3" is not an apiVersion of Server: use policy.meshviz.io/v1',
        'policy/a.yaml: resource billing/x: kind: is required',
      ],
    });
  });

  it('reports invalid YAML with its line', () => {
    expect(validate({ file: 'policy/a.yaml', text: `${SERVER}---\nkind: Server\n  bad: [\n` })).toEqual({
      errors: ['policy/a.yaml: document 2: invalid YAML at line 6, column 7: Nested mappings are not allowed in compact mappings'],
    });
  });

  // Found by the hardening fuzzer (tests/src/fuzz/resources.fuzz.test.ts): aliases resolve after parsing, where
  // an alias to no anchor and an alias bomb threw a ReferenceError out of the loader instead of an issue.
  it('reports an alias to no anchor and too many alias expansions as invalid YAML, not a throw', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${['b', 'c', 'd', 'e', 'f'].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcde'[i]}`).join(', ')}]`).join('\n')}\n`;
    for (const text of [`${SERVER}---\nkind: *missing\n`, bomb]) {
      const result = validate({ file: 'policy/a.yaml', text });
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]).toMatch(/^policy\/a\.yaml: document \d: invalid YAML: .*(alias|Alias)/);
    }
  });

  it('reports a duplicate naming both files, and one in the same file by document', () => {
    expect(validate({ file: 'policy/a.yaml', text: SERVER }, { file: 'policy/b.yaml', text: `${SERVER}---\n${SERVER}` })).toEqual({
      errors: [
        'policy/b.yaml: Server billing/ledger-http: metadata.name: duplicate: Server billing/ledger-http is also declared in policy/a.yaml (document 1)',
        'policy/b.yaml: Server billing/ledger-http: metadata.name: duplicate: Server billing/ledger-http is also declared in policy/a.yaml (document 1)',
      ],
    });
    expect(validate({ file: 'policy/a.yaml', text: `${SERVER}---\n${SERVER}` })).toEqual({
      errors: ['policy/a.yaml: Server billing/ledger-http: metadata.name: duplicate: Server billing/ledger-http is also declared in document 1 of this file'],
    });
  });

  it('reports references to resources that do not exist, and port names no workload has', () => {
    const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: entries, namespace: billing }
spec: { parentRefs: [{ group: policy.meshviz.io, kind: Server, name: ledger-htp }] }
`;
    const policy = POLICY.replace('name: ledger-http }', 'name: ledgr-http }').replace(
      '    - { group: policy.meshviz.io, kind: MeshTLSAuthentication, name: payments }',
      '    - { kind: MeshTLSAuthentication, name: payments, namespace: bookshop }\n    - { kind: NetworkAuthentication, name: cluster }',
    );
    const server = SERVER.replace('port: http', 'port: grpc');
    expect(validate({ file: 'policy/a.yaml', text: [server, policy, route, AUTHN].join('---\n') })).toEqual({
      errors: [
        'policy/a.yaml: Server billing/ledger-http: spec.port: no workload of namespace billing has a port named "grpc"',
        'policy/a.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.targetRef.name: Server billing/ledgr-http does not exist (no policy document declares it)',
        'policy/a.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.requiredAuthenticationRefs.0.name: MeshTLSAuthentication bookshop/payments does not exist (no policy document declares it)',
        'policy/a.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.requiredAuthenticationRefs.1.name: NetworkAuthentication billing/cluster does not exist (no policy document declares it)',
        'policy/a.yaml: HTTPRoute billing/entries: spec.parentRefs.0.name: Server billing/ledger-htp does not exist (no policy document declares it)',
      ],
    });
  });

  it('reports a resource with a bad field once, not again through what refers to it', () => {
    const badServer = SERVER.replace('port: http }', 'port: http, proxyProtocol: h3 }');
    const result = validate({ file: 'policy/a.yaml', text: [badServer, POLICY, AUTHN].join('---\n') });
    expect(result).toEqual({
      errors: [
        'policy/a.yaml: Server billing/ledger-http: spec.proxyProtocol: Invalid option: expected one of "unknown"|"HTTP/1"|"HTTP/2"|"gRPC"|"opaque"|"TLS"',
      ],
    });
  });

  it('warns about what matches nothing, and about Servers that lose a port to another', () => {
    const text = [
      SERVER,
      SERVER.replace('ledger-http', 'a-ledger-all').replace('port: http', 'port: 8080'),
      SERVER.replace('ledger-http', 'nothing').replace('app: ledger', 'app: nobody'),
      SERVER.replace('ledger-http', 'payments-admin').replace('app: ledger', 'app: payments').replace('port: http', 'port: 9000'),
      SERVER.replace('ledger-http', 'ledger-raw').replace('port: http', 'port: admin, proxyProtocol: opaque'),
      `apiVersion: policy.meshviz.io/v1
kind: MeshTLSAuthentication
metadata: { name: strangers, namespace: billing }
spec:
  identities:
    - ghost.billing.serviceaccount.identity.meshviz.cluster.local
    - "*.nowhere.serviceaccount.identity.meshviz.cluster.local"
    - web.bookshop.serviceaccount.identity.meshviz.other.domain
    - payments.billing.serviceaccount.identity.meshviz.cluster.local
`,
      `apiVersion: policy.meshviz.io/v1
kind: MeshTLSAuthentication
metadata: { name: refs, namespace: billing }
spec:
  identityRefs: [{ kind: ServiceAccount, name: ghost }, { kind: Namespace, name: nowhere }, { kind: Namespace, name: bookshop }]
`,
      `apiVersion: policy.meshviz.io/v1
kind: AuthorizationPolicy
metadata: { name: from-ghost, namespace: billing }
spec:
  targetRef: { kind: Namespace, name: billing }
  requiredAuthenticationRefs: [{ kind: ServiceAccount, name: ghost, namespace: bookshop }]
`,
      `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: raw, namespace: billing }
spec: { parentRefs: [{ group: policy.meshviz.io, kind: Server, name: ledger-raw }] }
`,
    ].join('---\n');
    const f = 'policy/a.yaml';
    expect(validate({ file: f, text })).toEqual({
      resources: expect.any(Array),
      warnings: [
        `${f}: Server billing/nothing: spec.podSelector: selects no workload of namespace billing`,
        `${f}: Server billing/payments-admin: spec.port: none of the workloads it selects (billing/payments) has port 9000`,
        `${f}: MeshTLSAuthentication billing/strangers: spec.identities.0: no workload runs as service account billing/ghost`,
        `${f}: MeshTLSAuthentication billing/strangers: spec.identities.1: no workload runs in namespace nowhere`,
        `${f}: MeshTLSAuthentication billing/strangers: spec.identities.2: trust domain "other.domain" is not the mesh's ("cluster.local"): it matches no workload`,
        `${f}: MeshTLSAuthentication billing/refs: spec.identityRefs.0: no workload runs as service account billing/ghost`,
        `${f}: MeshTLSAuthentication billing/refs: spec.identityRefs.1: no workload runs in namespace nowhere`,
        `${f}: AuthorizationPolicy billing/from-ghost: spec.requiredAuthenticationRefs.0: no workload runs as service account bookshop/ghost`,
        `${f}: GRPCRoute billing/raw: spec.parentRefs.0: Server billing/ledger-raw is opaque: the proxy reads no HTTP there, so routes never apply`,
        `${f}: Server billing/ledger-http: spec.port: port 8080 of workload billing/ledger is also covered by Server billing/a-ledger-all, which applies (the first by name); this Server does not apply there`,
      ],
    });
  });
});

describe('loadPolicyDir', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads *.yaml and *.yml directly in the directory, naming files by the path it was given', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'meshviz-policy-'));
    await writeFile(path.join(dir, 'servers.yaml'), SERVER);
    await writeFile(path.join(dir, 'policy.yml'), POLICY.replace('kind: MeshTLSAuthentication', 'kind: Mesh'));
    await writeFile(path.join(dir, 'notes.txt'), 'not: [yaml');
    await writeFile(path.join(dir, '.editor.yaml'), 'not: [yaml');
    await mkdir(path.join(dir, 'nested.yaml'));
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'sub', 'authn.yaml'), AUTHN);
    const result = await loadPolicyDir(dir, DEMO_MESH);
    expect(result.ok ? [] : result.errors.map(formatPolicyIssue)).toEqual([
      `${path.join(dir, 'policy.yml')}: AuthorizationPolicy billing/ledger-from-payments: spec.requiredAuthenticationRefs.0.kind: Invalid option: expected one of "MeshTLSAuthentication"|"NetworkAuthentication"|"ServiceAccount"`,
    ]);

    await writeFile(path.join(dir, 'policy.yml'), `${POLICY}---\n${AUTHN}`);
    const fixed = await loadPolicyDir(dir, DEMO_MESH);
    expect(fixed.ok && fixed.resources.map((r) => r.kind)).toEqual(['AuthorizationPolicy', 'MeshTLSAuthentication', 'Server']);
  });

  it('says when the directory cannot be read', async () => {
    const missing = path.join(tmpdir(), 'meshviz-policy-does-not-exist');
    const result = await loadPolicyDir(missing, DEMO_MESH);
    expect(result.ok ? [] : result.errors.map(formatPolicyIssue)).toEqual([
      expect.stringMatching(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read the policy directory: ENOENT`)),
    ]);
  });
});
