import { ListWatchStandIn } from '@meshviz/kube/testing';
import { endpointSlice, pod, service } from '@meshviz/kube/testing/objects';
import { identityName, serviceAuthority } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuerServing } from '../identity/serving-cert.js';
import { openTrustStore, type TrustStore } from '../identity/trust-store.js';
import { createControlMetrics } from '../metrics.js';
import { captureLog, eventually } from '../testing/capture-log.js';
import { type DestinationStream, openDestinationStream, openPolicyStream, type PolicyStream, workloadCert } from '../testing/stream-client.js';
import { makeTrustFixture, type TrustFixture } from '../testing/trust-dir.js';
import { type KubernetesServices, startKubernetesServices } from './index.js';

const trustDomain = 'cluster.local';
const PODS = '/api/v1/pods';
const SERVICES = '/api/v1/services';
const SLICES = '/apis/discovery.k8s.io/v1/endpointslices';
const ROUTES = '/apis/gateway.networking.k8s.io/v1/httproutes';
const SERVERS = '/apis/policy.meshviz.io/v1/servers';
const WEB = serviceAuthority('web', 'shop');
const CANARY = serviceAuthority('web-canary', 'shop');
/** Changes must reach open streams within this. */
const BUDGET_MS = 1_000;

let api: ListWatchStandIn;
let fx: TrustFixture;
let store: TrustStore;
let services: KubernetesServices;
let dst: DestinationStream;
let policy: PolicyStream;
const captured = captureLog();

const webPod = (name: string, ip: string, ready = true) =>
  pod({ namespace: 'shop', name, ip, serviceAccount: 'web', labels: { app: 'web', 'pod-template-hash': '7c9d8f6b5' }, replicaSet: 'web-7c9d8f6b5', meshed: true, ready, ports: [{ name: 'http', containerPort: 8080 }], readinessPath: '/ready' });
const webSlice = (endpoints: { ip: string; pod: string; ready?: boolean }[]) =>
  endpointSlice({ namespace: 'shop', service: 'web', ports: [{ name: 'http', port: 8080 }], endpoints });

type Table = Extract<DestinationStream['messages'][number], { type: 'destinations' }>;
const tables = () => dst.messages.filter((m): m is Table => m.type === 'destinations');
const latest = () => tables().at(-1)!.destinations.services;

/** Makes a change and waits for the stream's table to satisfy `check`; returns how long it took. */
async function within(change: () => void, check: (services: ReturnType<typeof latest>) => boolean, what: string): Promise<number> {
  const start = performance.now();
  change();
  await eventually(() => (tables().length > 0 && check(latest()) ? true : undefined), what, 5_000);
  const took = dst.arrivals.at(-1)! - start;
  expect(took, `${what} took ${took} ms`).toBeLessThan(BUDGET_MS);
  return took;
}

beforeAll(async () => {
  api = await ListWatchStandIn.start();
  api.put(PODS, webPod('web-7c9d8f6b5-aaaaa', '10.1.0.11'));
  api.put(PODS, webPod('web-7c9d8f6b5-bbbbb', '10.1.0.12'));
  api.put(PODS, pod({ namespace: 'shop', name: 'canary-1', ip: '10.1.0.21', labels: { app: 'web-canary' }, ports: [{ name: 'http', containerPort: 8080 }] }));
  api.put(SERVICES, service({ namespace: 'shop', name: 'web', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
  api.put(SERVICES, service({ namespace: 'shop', name: 'web-canary', clusterIP: '10.96.0.11', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
  api.put(SLICES, webSlice([{ ip: '10.1.0.11', pod: 'web-7c9d8f6b5-aaaaa' }, { ip: '10.1.0.12', pod: 'web-7c9d8f6b5-bbbbb' }]));
  api.put(SLICES, endpointSlice({ namespace: 'shop', service: 'web-canary', ports: [{ name: 'http', port: 8080 }], endpoints: [{ ip: '10.1.0.21', pod: 'canary-1' }] }));
  api.put(SERVERS, {
    apiVersion: 'policy.meshviz.io/v1',
    kind: 'Server',
    metadata: { name: 'web-http', namespace: 'shop', uid: 'u1', generation: 1, managedFields: [] },
    spec: { podSelector: { matchLabels: { app: 'web' } }, port: 'http', proxyProtocol: 'HTTP/1', accessPolicy: 'deny' },
  });
  fx = await makeTrustFixture(trustDomain);
  const metrics = createControlMetrics();
  store = await openTrustStore({ dir: fx.dir, pollIntervalMs: 60_000, log: captured.log, metrics });
  const serving = issuerServing(store, { trustDomain, leafLifetimeMs: 24 * 3600_000, clockSkewMs: 20_000 });
  services = await startKubernetesServices(
    {
      api: { apiUrl: api.url },
      clusterNetworks: ['10.0.0.0/8'],
      destination: { listen: { host: '127.0.0.1', port: 0 }, publishFile: undefined },
      policy: { listen: { host: '127.0.0.1', port: 0 } },
    },
    { trustDomain },
    { serving, metrics, log: captured.log },
  );
  const cert = await workloadCert(fx.issuer, { serviceAccount: 'web', namespace: 'shop', trustDomain });
  dst = await openDestinationStream(services.destination!.address, { anchorsPem: fx.anchor.certPem, trustDomain, cert });
  policy = await openPolicyStream(services.policy!.address, 'shop/web', { anchorsPem: fx.anchor.certPem, trustDomain, cert });
});

afterAll(async () => {
  dst?.close();
  policy?.close();
  await services?.close();
  store?.close();
  await api?.close();
  await fx?.cleanup();
});

describe('the destination and policy services on the list/watch stand-in', () => {
  it('serves the Services, their ready endpoints with the pods’ identities, and cluster IPs', async () => {
    expect(dst.status).toBe(200);
    await eventually(() => (tables().length > 0 ? true : undefined), 'the first table');
    expect(latest()[WEB]).toEqual({
      namespace: 'shop',
      service: 'web',
      clusterIPs: ['10.96.0.10'],
      endpoints: [
        { addr: '10.1.0.11:8080', namespace: 'shop', deployment: 'web', pod: 'web-7c9d8f6b5-aaaaa', identity: identityName({ serviceAccount: 'web', namespace: 'shop', trustDomain }) },
        { addr: '10.1.0.12:8080', namespace: 'shop', deployment: 'web', pod: 'web-7c9d8f6b5-bbbbb', identity: identityName({ serviceAccount: 'web', namespace: 'shop', trustDomain }) },
      ],
    });
    // canary-1 is not meshed: no identity, so callers do not open mTLS to it.
    expect(latest()[CANARY]?.endpoints).toEqual([{ addr: '10.1.0.21:8080', namespace: 'shop', deployment: 'canary-1', pod: 'canary-1' }]);
  });

  it('adds a pod, drops an unready one and removes a deleted one, each within a second', async () => {
    const addrs = (s: ReturnType<typeof latest>) => s[WEB]?.endpoints.map((e) => e.addr).join(',');
    await within(
      () => {
        api.put(PODS, webPod('web-7c9d8f6b5-ccccc', '10.1.0.13'));
        api.put(SLICES, webSlice([{ ip: '10.1.0.11', pod: 'web-7c9d8f6b5-aaaaa' }, { ip: '10.1.0.12', pod: 'web-7c9d8f6b5-bbbbb' }, { ip: '10.1.0.13', pod: 'web-7c9d8f6b5-ccccc' }]));
      },
      (s) => addrs(s) === '10.1.0.11:8080,10.1.0.12:8080,10.1.0.13:8080',
      'the added pod',
    );
    await within(
      () => api.put(SLICES, webSlice([{ ip: '10.1.0.11', pod: 'web-7c9d8f6b5-aaaaa' }, { ip: '10.1.0.12', pod: 'web-7c9d8f6b5-bbbbb', ready: false }, { ip: '10.1.0.13', pod: 'web-7c9d8f6b5-ccccc' }])),
      (s) => addrs(s) === '10.1.0.11:8080,10.1.0.13:8080',
      'the unready endpoint to leave',
    );
    await within(
      () => {
        api.put(SLICES, webSlice([{ ip: '10.1.0.11', pod: 'web-7c9d8f6b5-aaaaa' }, { ip: '10.1.0.12', pod: 'web-7c9d8f6b5-bbbbb', ready: false }]));
        api.remove(PODS, 'web-7c9d8f6b5-ccccc', 'shop');
      },
      (s) => addrs(s) === '10.1.0.11:8080',
      'the deleted pod to leave',
    );
  });

  it('follows a changed Service: a second port lists it per port', async () => {
    await within(
      () => api.put(SERVICES, service({ namespace: 'shop', name: 'web', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 9000 }] })),
      (s) => s[WEB] === undefined && s[`${WEB}:80`]?.endpoints.length === 1 && s[`${WEB}:9000`]?.endpoints.length === 0,
      'the two-port Service',
    );
    await within(
      () => api.put(SERVICES, service({ namespace: 'shop', name: 'web', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080 }] })),
      (s) => s[WEB]?.endpoints.length === 1,
      'the one-port Service again',
    );
  });

  it('compiles an added HTTPRoute, and refuses an invalid one by object and field while the rest stays in force', async () => {
    const route = (name: string, pathType: string, canary: number) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace: 'shop', uid: `uid-${name}`, generation: 1, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: {
        parentRefs: [{ group: 'core', kind: 'Service', name: 'web' }],
        rules: [{ matches: [{ path: { type: pathType, value: '/items' } }], backendRefs: [{ name: 'web', weight: 100 - canary }, { name: 'web-canary', weight: canary }] }],
      },
      status: { parents: [] },
    });
    const weights = (s: ReturnType<typeof latest>) =>
      s[WEB]?.outbound?.routes.flatMap((r) => r.backends.map((b) => `${b.authority}=${b.weight}`)).join(',');
    await within(() => api.put(ROUTES, route('web-items', 'PathPrefix', 10)), (s) => weights(s) === `${WEB}=90,${CANARY}=10`, 'the HTTPRoute');

    const before = tables().length;
    api.put(ROUTES, route('web-broken', 'Regexish', 50));
    const refusal = await eventually(
      () => captured.entries.find((e) => String(e.warning ?? '').includes('/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/web-broken')),
      'the refusal',
    );
    expect(String(refusal.warning)).toMatch(/refused.*web-broken.*path\.type/);
    // The valid route stays in force and later changes still arrive.
    await within(() => api.put(ROUTES, route('web-items', 'PathPrefix', 20)), (s) => weights(s) === `${WEB}=80,${CANARY}=20`, 'a change after the refusal');
    expect(tables().length).toBeGreaterThan(before);

    // web-items itself turns invalid: the version in force (80/20, applied beside the refused web-broken) stays.
    const warnings = () => captured.entries.filter((e) => String(e.warning ?? '').includes('httproutes/web-items')).length;
    api.put(ROUTES, route('web-items', 'Regexish', 70));
    await eventually(() => (warnings() > 0 ? true : undefined), 'web-items refused');
    api.put(SERVICES, service({ namespace: 'shop', name: 'web-canary', clusterIP: '10.96.0.12', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
    await eventually(() => (latest()[CANARY]?.clusterIPs?.[0] === '10.96.0.12' ? true : undefined), 'the next change to apply');
    expect(weights(latest())).toBe(`${WEB}=80,${CANARY}=20`);
    api.remove(ROUTES, 'web-broken', 'shop');
  });

  it('streams the workload’s policy from the Server CRD and the pods', async () => {
    await eventually(() => (policy.messages.some((m) => m.type === 'policy') ? true : undefined), 'the first policy');
    const first = policy.messages.find((m) => m.type === 'policy');
    expect(first?.type === 'policy' && first.policy.workload).toEqual({ namespace: 'shop', name: 'web' });
    expect(first?.type === 'policy' && first.policy.ports.map((p) => [p.port, p.server.kind, p.server.name])).toEqual([[8080, 'server', 'web-http']]);
    expect(first?.type === 'policy' && first.policy.probePaths).toEqual(['/ready']);

    // The Server goes: the port falls back to the workload's default policy, within a second.
    const start = performance.now();
    api.remove(SERVERS, 'web-http', 'shop');
    const next = await eventually(() => {
      const last = policy.messages.filter((m) => m.type === 'policy').at(-1);
      return last?.type === 'policy' && last.policy.ports.every((p) => p.server.kind !== 'server') ? last : undefined;
    }, 'the policy without the Server');
    expect(policy.arrivals.at(-1)! - start).toBeLessThan(BUDGET_MS);
    expect(next.type === 'policy' && next.policy.defaultPolicy).toBe('all-unauthenticated');
  });

  it('resyncs after a dropped watch, and relists after 410 Gone, each change reaching the stream', async () => {
    const lists = () => api.requests.filter((r) => r.path === SLICES && !r.query.watch).length;
    const listsBefore = lists();
    api.dropWatches(SLICES);
    await within(
      () => api.put(SLICES, webSlice([{ ip: '10.1.0.11', pod: 'web-7c9d8f6b5-aaaaa' }, { ip: '10.1.0.12', pod: 'web-7c9d8f6b5-bbbbb' }])),
      (s) => s[WEB]?.endpoints.length === 2,
      'the change made after the drop',
    );
    expect(lists()).toBe(listsBefore);

    api.dropWatches(SLICES);
    api.put(SLICES, webSlice([{ ip: '10.1.0.11', pod: 'web-7c9d8f6b5-aaaaa' }]));
    api.compact();
    await eventually(() => (latest()[WEB]?.endpoints.length === 1 ? true : undefined), 'the relisted slice', 5_000);
    expect(lists()).toBe(listsBefore + 1);
  });
});
