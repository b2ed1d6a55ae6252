import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kustomizeBuild } from '../kustomize.js';
import type { Container, KubeObject } from '../objects.js';
import { deployDir } from '../paths.js';
import { hardeningProblems } from './hardening.js';
import { envNameProblems, policyCrds, referenceProblems } from './render-checks.js';
import { schemaProblems } from './schema.js';

// Each check is shown to catch what it is for: a rendered overlay is changed in one place, and the check names it.
let pristine: KubeObject[];
beforeAll(async () => {
  pristine = await kustomizeBuild(path.join(deployDir(), 'overlays', 'default'));
}, 30_000);

const copy = (): KubeObject[] => structuredClone(pristine);
const find = (objects: KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const containerOf = (objects: KubeObject[], deployment: string): Container =>
  (find(objects, 'Deployment', deployment).spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;

describe('the schema check', () => {
  it('passes the pristine render and names a wrongly typed field of a core kind', async () => {
    const objects = copy();
    expect(await schemaProblems(objects, policyCrds())).toEqual([]);
    (containerOf(objects, 'meshviz-api').ports as { containerPort: unknown }[])[0]!.containerPort = 'http';
    expect(await schemaProblems(objects, policyCrds())).toEqual([
      expect.stringMatching(/^Deployment\/meshviz-viz\/meshviz-api: .*containerPort must be integer/),
    ]);
  });

  it('checks custom resources against their CRD, unknown fields included, and refuses kinds nobody defines', async () => {
    const objects = copy();
    const server = find(objects, 'Server', 'prometheus') as { spec: Record<string, unknown> } & KubeObject;
    server.spec.accessPolicy = 'everyone';
    server.spec.podSelecter = {};
    objects.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const problems = await schemaProblems(objects, policyCrds());
    expect(problems).toEqual([
      'Server/meshviz-viz/prometheus: /spec must NOT have additional properties (additionalProperty: "podSelecter")',
      expect.stringContaining('Server/meshviz-viz/prometheus: /spec/accessPolicy must be equal to one of the allowed values'),
      'Widget/w: no CRD in the render defines example.com/v1 Widget',
    ]);
  });
});

describe('the hardening check', () => {
  it('names each weakened container setting', () => {
    const objects = copy();
    const api = containerOf(objects, 'meshviz-api');
    const context = api.securityContext as Record<string, unknown>;
    context.readOnlyRootFilesystem = false;
    context.allowPrivilegeEscalation = true;
    context.capabilities = { drop: ['NET_RAW'], add: ['NET_ADMIN'] };
    delete context.runAsNonRoot;
    delete api.livenessProbe;
    api.image = 'meshviz/api:latest';
    const at = 'Deployment/meshviz-viz/meshviz-api: container api:';
    expect(hardeningProblems(objects)).toEqual([
      `${at} readOnlyRootFilesystem is not true`,
      `${at} allowPrivilegeEscalation is not false`,
      `${at} does not drop ALL capabilities`,
      `${at} adds capability NET_ADMIN`,
      `${at} image "meshviz/api:latest" is not pinned to a version`,
      `${at} has no liveness probe`,
    ]);
  });

  it('lets only the iptables init step add NET_ADMIN and NET_RAW, and run as root', () => {
    const objects = copy();
    const pod = (find(objects, 'Deployment', 'web').spec as { template: { spec: { initContainers?: Container[] } } }).template.spec;
    const init = (command: string): Container => ({
      name: command,
      image: 'meshviz/proxy:0.1.0',
      command: [command],
      securityContext: {
        runAsUser: 0,
        runAsNonRoot: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    pod.initContainers = [init('meshviz-proxy-init'), init('something-else')];
    expect(hardeningProblems(objects)).toEqual([
      'Deployment/meshviz-viz/web: container something-else: runAsNonRoot is not true',
      'Deployment/meshviz-viz/web: container something-else: runs without a fixed non-root runAsUser',
      'Deployment/meshviz-viz/web: container something-else: adds capability NET_ADMIN',
      'Deployment/meshviz-viz/web: container something-else: adds capability NET_RAW',
    ]);
  });

  it('names RBAC beyond list and watch, access to Secrets, and the issuer mounted by anyone but identity', () => {
    const objects = copy();
    const rules = find(objects, 'ClusterRole', 'meshviz-api').rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['*'], verbs: ['list'] });
    rules[0]!.verbs.push('delete');
    const destination = find(objects, 'Deployment', 'meshviz-destination').spec as { template: { spec: { volumes: unknown[] } } };
    destination.template.spec.volumes.push({ name: 'stolen', secret: { secretName: 'meshviz-identity-issuer' } });
    expect(hardeningProblems(objects)).toEqual([
      'ClusterRole/meshviz-api: delete on pods is more than a reader needs',
      'ClusterRole/meshviz-api: grants access to secrets',
      'ClusterRole/meshviz-api: get on secrets is more than a reader needs',
      'ClusterRole/meshviz-api: a rule uses the wildcard *',
      'Deployment/meshviz-system/meshviz-destination: uses the issuer Secret meshviz-identity-issuer, which only the identity service may',
    ]);
  });

  it('names a shared or default service account, and a token mounted for an account without a role', () => {
    const objects = copy();
    const spec = (name: string) => (find(objects, 'Deployment', name).spec as { template: { spec: Record<string, unknown> } }).template.spec;
    spec('web').automountServiceAccountToken = true;
    spec('prometheus').serviceAccountName = 'web';
    spec('meshviz-api').serviceAccountName = 'default';
    expect(hardeningProblems(objects)).toEqual([
      'Deployment/meshviz-viz/meshviz-api: runs as the default service account; give it one of its own',
      'Deployment/meshviz-viz/prometheus: service account web has no role, yet its token is mounted (automountServiceAccountToken: false)',
      'Deployment/meshviz-viz/web: shares service account web with Deployment/meshviz-viz/prometheus',
      'Deployment/meshviz-viz/web: service account web has no role, yet its token is mounted (automountServiceAccountToken: false)',
    ]);
  });

  it('names a webhook with side effects, other review versions, or no way around the control plane', () => {
    const objects = copy();
    const [hook] = find(objects, 'MutatingWebhookConfiguration', 'meshviz-proxy-injector').webhooks as Record<string, unknown>[];
    hook!.sideEffects = 'Some';
    hook!.admissionReviewVersions = ['v1', 'v1beta1'];
    delete hook!.namespaceSelector;
    expect(hardeningProblems(objects)).toEqual([
      'MutatingWebhookConfiguration/meshviz-proxy-injector: webhook proxy-injector.meshviz.io: sideEffects is not None',
      'MutatingWebhookConfiguration/meshviz-proxy-injector: webhook proxy-injector.meshviz.io: admissionReviewVersions is not [v1]',
      'MutatingWebhookConfiguration/meshviz-proxy-injector: webhook proxy-injector.meshviz.io: its namespaceSelector does not leave out kube-system',
      'MutatingWebhookConfiguration/meshviz-proxy-injector: webhook proxy-injector.meshviz.io: its namespaceSelector does not leave out meshviz-system',
    ]);
  });
});

describe('the reference and variable checks', () => {
  it('name a variable no app reads, a missing ConfigMap, and a Service port no container declares', () => {
    const objects = copy();
    containerOf(objects, 'meshviz-api').env!.push({ name: 'API_PROMETHEUS_ULR', value: 'http://x' });
    const service = find(objects, 'Service', 'prometheus').spec as { ports: { targetPort: string }[] };
    service.ports[0]!.targetPort = 'metrics';
    find(objects, 'ConfigMap', 'prometheus-config').metadata.name = 'renamed';
    expect(envNameProblems(objects)).toEqual([
      'Deployment/meshviz-viz/meshviz-api: container api: API_PROMETHEUS_ULR is not read by apps/api/src/config.ts',
    ]);
    expect(referenceProblems(objects).filter((p) => !p.includes('meshviz-identity-trust-anchors') && !p.includes('-tls') && !p.includes('issuer'))).toEqual([
      'Deployment/meshviz-viz/prometheus: ConfigMap prometheus-config is not in the render',
      'Service/meshviz-viz/prometheus: targetPort metrics is no container port of its pods',
    ]);
  });
});

