import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonpatch, { type Operation } from 'fast-json-patch';
import { Pod } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from '../testing/injector-settings.js';
import { review } from './review.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const testdata = (name: string) => path.join(here, 'testdata', name);
const NAMESPACES: Record<string, Record<string, string>> = {
  shop: { 'meshviz.io/inject': 'enabled' },
  billing: {},
};
const lookup = (ns: string) => NAMESPACES[ns];
const ANCHORS = readFileSync(testdata('trust-anchors.pem'), 'utf8');
const ctx = { settings: TEST_SETTINGS, namespaceAnnotations: lookup, trustAnchors: () => ANCHORS };

interface Response {
  uid: string;
  allowed: boolean;
  patchType?: string;
  patch?: string;
  warnings?: string[];
  status?: { code: number; message: string };
}
// biome-ignore lint/suspicious/noExplicitAny: the tests walk pods as free JSON, as the API server sends them
type Obj = Record<string, any>;

function admit(request: Obj): Response {
  const answer = review(request, ctx);
  if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.message}`);
  const body = answer.body as { apiVersion: string; kind: string; response: Response };
  expect(body.apiVersion).toBe('admission.k8s.io/v1');
  expect(body.kind).toBe('AdmissionReview');
  expect(body.response.uid).toBe(request.request.uid);
  return body.response;
}

/** Applies the response's patch as the API server would: a real JSON-patch library, every operation validated. */
function applyPatch(pod: Obj, response: Response): Obj {
  expect(response.patchType).toBe('JSONPatch');
  const ops = JSON.parse(Buffer.from(response.patch!, 'base64').toString('utf8')) as Operation[];
  expect(jsonpatch.validate(ops, pod)).toBeUndefined();
  return jsonpatch.applyPatch(structuredClone(pod), ops, true, false).newDocument;
}

/** The patched pod, named as the API server names it after admission, passes the Pod schema. */
function expectValidPod(pod: Obj): void {
  const named = { ...pod, metadata: { ...pod.metadata, name: pod.metadata.name ?? `${pod.metadata.generateName}abcde` } };
  expect(() => new Pod(named).validate()).not.toThrow();
}

function expectGolden(pod: Obj, name: string): void {
  const file = testdata(name);
  const text = `${JSON.stringify(pod, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const load = (name: string): Obj => JSON.parse(readFileSync(testdata(name), 'utf8'));

/** Explicit checks of the native-sidecar shape, beyond what the schema can say. */
function expectNativeSidecar(pod: Obj, existingInit: string[]): void {
  const init = pod.spec.initContainers as Obj[];
  expect(init.map((c) => c.name)).toEqual(['meshviz-init', 'meshviz-proxy', ...existingInit]);
  const [iptables, proxy] = init as [Obj, Obj];
  expect(iptables.command).toEqual(['meshviz-proxy-init']);
  expect(iptables.restartPolicy).toBeUndefined();
  expect(iptables.securityContext).toMatchObject({
    runAsUser: 0,
    runAsNonRoot: false,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
  });
  expect(proxy.restartPolicy).toBe('Always');
  expect(proxy.startupProbe.httpGet).toEqual({ path: '/ready', port: 4191 });
  expect(proxy.readinessProbe.httpGet).toEqual({ path: '/ready', port: 4191 });
  expect(proxy.livenessProbe.httpGet).toEqual({ path: '/live', port: 4191 });
  expect(proxy.ports.map((p: Obj) => [p.name, p.containerPort])).toEqual([
    ['proxy-inbound', 4143],
    ['admin-http', 4191],
    ['tap', 4190],
  ]);
  expect(proxy.securityContext).toEqual({
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    seccompProfile: { type: 'RuntimeDefault' },
    runAsUser: 2102,
    runAsGroup: 2102,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  });
  const token = (pod.spec.volumes as Obj[]).find((v) => v.name === 'meshviz-identity-token');
  expect(token?.projected.sources[0].serviceAccountToken.audience).toBe('identity.meshviz.io');
  const mounted = (proxy.volumeMounts as Obj[]).map((m) => m.name);
  for (const name of mounted) expect((pod.spec.volumes as Obj[]).some((v) => v.name === name)).toBe(true);
  // The application containers are untouched: they wait for the sidecar's startup probe.
  expect(pod.spec.containers.some((c: Obj) => c.name === 'meshviz-proxy')).toBe(false);
}

const env = (pod: Obj) => Object.fromEntries((pod.spec.initContainers[1].env as Obj[]).map((e) => [e.name, e.value ?? e.valueFrom]));

describe('the injector on real AdmissionReview requests', () => {
  it("injects a Deployment's pod of an annotated namespace: no init containers, probes, owner labels", () => {
    const request = load('deployment-pod.request.json');
    const response = admit(request);
    expect(response.allowed).toBe(true);
    expect(response.warnings).toBeUndefined();
    const pod = applyPatch(request.request.object, response);
    expectValidPod(pod);
    expectNativeSidecar(pod, []);
    expect(pod.metadata.labels).toEqual({
      app: 'web',
      'pod-template-hash': '7c9d8f6b5',
      'meshviz.io/proxy-version': '0.1.0',
      'meshviz.io/workload-ns': 'shop',
      'meshviz.io/proxy-deployment': 'web',
    });
    expect(env(pod)).toMatchObject({
      PROXY_IDENTITY_LOCAL_NAME: 'web.shop.serviceaccount.identity.meshviz.cluster.local',
      PROXY_POLICY_WORKLOAD: 'shop/web',
      PROXY_INBOUND_FORWARD_ADDR: '127.0.0.1:8080',
      PROXY_INBOUND_PROBE_PATHS: '/ready,/healthz',
      PROXY_INBOUND_DEFAULT_POLICY: 'all-unauthenticated',
      PROXY_LOG_LEVEL: 'info',
      PROXY_IDENTITY_TRUST_ANCHORS: ANCHORS,
    });
    expect(pod.spec.initContainers[0].args).toEqual(['--inbound-port', '4143', '--outbound-port', '4140', '--proxy-uid', '2102', '--skip-inbound-ports', '4190,4191']);
    expectGolden(pod, 'deployment-pod.injected.json');
  });

  it('puts the iptables step and the proxy before existing init containers and applies the config annotations', () => {
    const request = load('pod-with-init-containers.request.json');
    const response = admit(request);
    const pod = applyPatch(request.request.object, response);
    expectValidPod(pod);
    expectNativeSidecar(pod, ['migrate']);
    expect(pod.spec.initContainers[0].args).toEqual([
      '--inbound-port',
      '4143',
      '--outbound-port',
      '4140',
      '--proxy-uid',
      '2102',
      '--skip-inbound-ports',
      '4190,4191,9000,9001,9002',
      '--skip-outbound-ports',
      '5432',
      '--skip-outbound-cidrs',
      '169.254.169.254/32',
    ]);
    expect(pod.spec.initContainers[1].resources).toEqual({ requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } });
    expect(env(pod)).toMatchObject({
      PROXY_INBOUND_DEFAULT_POLICY: 'all-authenticated',
      PROXY_OPAQUE_PORTS: '6379',
      PROXY_LOG_LEVEL: 'debug',
      PROXY_IDENTITY_LOCAL_NAME: 'ledger.billing.serviceaccount.identity.meshviz.cluster.local',
      PROXY_POLICY_WORKLOAD: 'billing/ledger',
    });
    expect(pod.metadata.labels['meshviz.io/proxy-deployment']).toBe('ledger');
    expectGolden(pod, 'pod-with-init-containers.injected.json');
  });

  it('leaves an injected pod alone: admitting it again gives no patch', () => {
    const request = load('deployment-pod.request.json');
    const injected = applyPatch(request.request.object, admit(request));
    const again = admit({ ...request, request: { ...request.request, object: injected } });
    expect(again).toEqual({ uid: request.request.uid, allowed: true });
  });

  it('skips a hostNetwork pod with a warning that says why', () => {
    const response = admit(load('host-network-pod.request.json'));
    expect(response.allowed).toBe(true);
    expect(response.patch).toBeUndefined();
    expect(response.warnings).toEqual([expect.stringContaining('hostNetwork')]);
  });

  it('honours meshviz.io/inject: disabled on the pod over an enabled namespace', () => {
    const response = admit(load('disabled-pod.request.json'));
    expect(response).toEqual({ uid: '2b7d1c3e-0004-4a6b-9c8d-000000000004', allowed: true });
  });

  it('refuses a pod whose config annotation does not parse, naming the annotation', () => {
    const response = admit(load('bad-annotation-pod.request.json'));
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(400);
    expect(response.status?.message).toContain('config.meshviz.io/skip-outbound-ports');
    expect(response.status?.message).toContain('"postgres"');
  });

  it('injects from the pod annotation alone when the namespace is not known, and says so', () => {
    const request = load('pod-with-init-containers.request.json');
    request.request.namespace = 'unknown';
    const response = review(request, { ...ctx, namespaceAnnotations: () => undefined });
    expect(response.status).toBe(200);
    const body = (response as { body: { response: Response } }).body.response;
    expect(body.patch).toBeDefined();
    expect(body.warnings).toEqual([expect.stringContaining('namespace unknown is not known')]);
  });

  it('answers 400 naming the field for what is not an AdmissionReview v1 of a Pod', () => {
    const request = load('deployment-pod.request.json');
    const cases: [unknown, string][] = [
      [{ hello: 'world' }, 'apiVersion'],
      [{ ...request, apiVersion: 'admission.k8s.io/v1beta1' }, 'apiVersion: must be "admission.k8s.io/v1"'],
      [{ ...request, kind: 'ConversionReview' }, 'kind: must be "AdmissionReview"'],
      [{ ...request, request: undefined }, 'request: is required'],
      [{ ...request, request: { ...request.request, kind: { group: 'apps', version: 'v1', kind: 'Deployment' } } }, 'admits Pods only, not apps/Deployment'],
    ];
    for (const [body, message] of cases) {
      const answer = review(body, ctx);
      expect(answer.status).toBe(400);
      expect((answer as { message: string }).message).toContain(message);
    }
  });

  it('mounts a trust-anchors ConfigMap instead of inlining the anchors when one is configured', () => {
    const request = load('deployment-pod.request.json');
    const settings = { ...TEST_SETTINGS, trustAnchorsConfigMap: 'meshviz-trust-anchors' };
    const answer = review(request, { ...ctx, settings });
    const pod = applyPatch(request.request.object, (answer as { body: { response: Response } }).body.response);
    expectValidPod(pod);
    expectNativeSidecar(pod, []);
    expect(env(pod).PROXY_IDENTITY_TRUST_ANCHORS).toBeUndefined();
    expect(env(pod).PROXY_IDENTITY_TRUST_ANCHORS_FILE).toBe('/var/run/meshviz/identity/trust-anchors/ca-bundle.crt');
    expect((pod.spec.volumes as Obj[]).find((v) => v.name === 'meshviz-trust-anchors')?.configMap).toEqual({
      name: 'meshviz-trust-anchors',
      items: [{ key: 'ca-bundle.crt', path: 'ca-bundle.crt' }],
    });
  });

  it('skips with a warning while the control plane has no trust anchors to give', () => {
    const answer = review(load('deployment-pod.request.json'), { ...ctx, trustAnchors: () => undefined });
    const response = (answer as { body: { response: Response } }).body.response;
    expect(response.allowed).toBe(true);
    expect(response.patch).toBeUndefined();
    expect(response.warnings).toEqual([expect.stringContaining('no trust anchors')]);
  });

  it('gives proxies the tap token when one is configured, and lets pod updates through untouched', () => {
    const request = load('deployment-pod.request.json');
    const settings = { ...TEST_SETTINGS, proxyTapToken: 'a-proxy-tap-token-0123' };
    const answer = review(request, { ...ctx, settings });
    const pod = applyPatch(request.request.object, (answer as { body: { response: Response } }).body.response);
    expect(env(pod).PROXY_TAP_TOKEN).toBe('a-proxy-tap-token-0123');
    const update = review({ ...request, request: { ...request.request, operation: 'UPDATE' } }, ctx);
    expect((update as { body: { response: Response } }).body.response).toEqual({ uid: request.request.uid, allowed: true });
  });
});
