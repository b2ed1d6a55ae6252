import path from 'node:path';
import { validateDocuments } from '@meshviz/policy';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { kustomizeBuild } from './kustomize.js';
import { containersOf, type KubeObject, objectRef, podSpecOf } from './objects.js';
import { deployDir } from './paths.js';
import { OVERLAYS } from './render.js';
import { hardeningProblems } from './validation/hardening.js';
import { envNameProblems, policyCrds, referenceProblems } from './validation/render-checks.js';
import { schemaProblems } from './validation/schema.js';

const builds = new Map<string, KubeObject[]>();
const build = (dir: string) => builds.get(dir)!;

beforeAll(async () => {
  const dirs = OVERLAYS.flatMap((o) => [`overlays/${o}`, `overlays/${o}/control`, `overlays/${o}/viz`]);
  for (const dir of [...dirs, 'base/control', 'base/viz', 'crds']) builds.set(dir, await kustomizeBuild(path.join(deployDir(), dir)));
}, 60_000);

describe('kubectl kustomize deploy/', () => {
  for (const overlay of OVERLAYS) {
    describe(`overlays/${overlay}`, () => {
      it('builds whole, as the sum of its control and viz halves', () => {
        const whole = build(`overlays/${overlay}`).map(objectRef).sort();
        const halves = [...build(`overlays/${overlay}/control`), ...build(`overlays/${overlay}/viz`)].map(objectRef).sort();
        expect(whole).toEqual(halves);
        expect(new Set(whole).size).toBe(whole.length);
      });

      it('validates against the Kubernetes OpenAPI schemas and the policy CRDs', async () => {
        expect(await schemaProblems(build(`overlays/${overlay}`), policyCrds())).toEqual([]);
      });

      it('keeps every hardening rule', () => {
        expect(hardeningProblems(build(`overlays/${overlay}`))).toEqual([]);
      });

      it('gives each app only variables it reads, and refers only to what exists or install adds', () => {
        const objects = build(`overlays/${overlay}`);
        expect(envNameProblems(objects)).toEqual([]);
        const added = ['meshviz-identity-issuer', 'meshviz-proxy-injector-tls', 'meshviz-identity-trust-anchors'];
        expect(referenceProblems(objects).filter((p) => !added.some((name) => p.endsWith(`${name} is not in the render`)))).toEqual([]);
      });
    });
  }

  it('puts the control plane in meshviz-system and viz in meshviz-viz, every object labelled part of meshviz', () => {
    for (const [half, ns] of [
      ['control', 'meshviz-system'],
      ['viz', 'meshviz-viz'],
    ] as const) {
      for (const o of build(`overlays/default/${half}`)) {
        const clusterScoped = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration'];
        expect(o.metadata.namespace, objectRef(o)).toBe(clusterScoped.includes(o.kind) ? undefined : ns);
        expect(o.metadata.labels?.['app.kubernetes.io/part-of'], objectRef(o)).toBe('meshviz');
      }
    }
  });

  it('runs identity, destination + policy and the injector as three Deployments of one image, each with its own services', () => {
    const deployments = build('base/control').filter((o) => o.kind === 'Deployment');
    const services = deployments.map((d) => {
      const [c] = podSpecOf(d)!.containers;
      return [d.metadata.name, c!.image, c!.env?.find((e) => e.name === 'CONTROL_SERVICES')?.value];
    });
    expect(services).toEqual([
      ['meshviz-destination', 'meshviz/control:0.1.0', 'destination,policy'],
      ['meshviz-identity', 'meshviz/control:0.1.0', 'identity'],
      ['meshviz-proxy-injector', 'meshviz/control:0.1.0', 'injector'],
    ]);
  });

  it("viz's own policy resources pass meshviz's policy validation", () => {
    const policy = build('base/viz').filter((o) => o.apiVersion.startsWith('policy.meshviz.io/'));
    expect(policy.map((o) => o.kind).sort()).toEqual([
      'AuthorizationPolicy',
      'AuthorizationPolicy',
      'MeshTLSAuthentication',
      'MeshTLSAuthentication',
      'Server',
      'Server',
      'Server',
    ]);
    const result = validateDocuments([{ file: 'mesh-policy.yaml', text: policy.map((o) => stringify(o)).join('---\n') }], null);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('ha: three replicas, a disruption budget and anti-affinity for every Deployment but Prometheus; limits everywhere', () => {
    const objects = build('overlays/ha');
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments).toHaveLength(6);
    for (const d of deployments) {
      const spec = d.spec as {
        replicas: number;
        strategy?: { rollingUpdate?: { maxUnavailable?: number } };
        template: { spec: { affinity?: { podAntiAffinity?: unknown } } };
      };
      const single = d.metadata.name === 'prometheus';
      // Three replicas on three nodes with required anti-affinity: a rollout must be able to replace a pod.
      if (!single) expect(spec.strategy?.rollingUpdate?.maxUnavailable, objectRef(d)).toBe(1);
      expect(spec.replicas, objectRef(d)).toBe(single ? 1 : 3);
      expect(Boolean(spec.template.spec.affinity?.podAntiAffinity), objectRef(d)).toBe(!single);
      const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === d.metadata.name && o.metadata.namespace === d.metadata.namespace);
      expect(Boolean(pdb), objectRef(d)).toBe(!single);
      for (const c of containersOf(podSpecOf(d)!)) {
        const resources = c.resources as { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
        expect(resources.requests?.cpu && resources.requests.memory && resources.limits?.memory, `${objectRef(d)} ${c.name}`).toBeTruthy();
      }
    }
    const prometheus = deployments.find((d) => d.metadata.name === 'prometheus')!;
    expect(podSpecOf(prometheus)!.containers[0]!.args).toContain('--storage.tsdb.retention.time=24h');
  });

  it('crds holds exactly the CRDs of packages/policy', () => {
    expect(build('crds').map(objectRef).sort()).toEqual(policyCrds().map(objectRef).sort());
  });
});
