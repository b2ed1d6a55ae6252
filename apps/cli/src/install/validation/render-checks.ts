import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crdFiles } from '@meshviz/policy';
import { containersOf, type KubeObject, objectRef, parseObjects, podSpecOf } from '../objects.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..', '..', '..');

/** The policy CRDs, parsed from what packages/policy generates. */
export const policyCrds = (): KubeObject[] => crdFiles().flatMap((f) => parseObjects(f.text, f.name));

/**
 * Variables the manifests may set before the apps' config modules read them (none today: every name the manifests
 * set is read). A name listed here escapes the check below until it is removed.
 */
export const PENDING_ENV = new Set<string>();

/** Where each meshviz image reads its environment. */
const CONFIG_MODULES: Record<string, string> = {
  'meshviz/control': 'apps/control/src/config.ts',
  'meshviz/api': 'apps/api/src/config.ts',
  'meshviz/web': 'apps/web/src/config.ts',
};

/** Every variable a meshviz container is given must be one its app reads (named in its config module). */
export function envNameProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const sources = new Map<string, string>();
  for (const o of objects) {
    const pod = podSpecOf(o);
    for (const c of pod ? containersOf(pod) : []) {
      const module = CONFIG_MODULES[(c.image ?? '').split(':')[0]!];
      if (!module) continue;
      if (!sources.has(module)) sources.set(module, readFileSync(path.join(REPO_ROOT, module), 'utf8'));
      for (const e of c.env ?? []) {
        if (!PENDING_ENV.has(e.name) && !new RegExp(`\\b${e.name}\\b`).test(sources.get(module)!)) {
          problems.push(`${objectRef(o)}: container ${c.name}: ${e.name} is not read by ${module}`);
        }
      }
    }
  }
  return problems;
}

/**
 * References inside the render: every ConfigMap, Secret and service account a pod names exists (or is marked
 * optional), and every Service selects a pod template and targets a port it declares.
 */
export function referenceProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const has = (kind: string, ns: string | undefined, name: string) =>
    objects.some((x) => x.kind === kind && x.metadata.name === name && x.metadata.namespace === ns);
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    const ns = o.metadata.namespace;
    const need = (kind: string, name: string, optional?: boolean) => {
      if (!optional && !has(kind, ns, name)) problems.push(`${objectRef(o)}: ${kind} ${name} is not in the render`);
    };
    if (pod.serviceAccountName) need('ServiceAccount', pod.serviceAccountName as string);
    const text = JSON.stringify(pod);
    for (const m of text.matchAll(/"configMap":\{[^{}]*?"name":"([^"]+)"/g)) need('ConfigMap', m[1]!);
    for (const m of text.matchAll(/"secret":\{[^{}]*?"(?:secretName|name)":"([^"]+)"/g)) need('Secret', m[1]!);
    for (const c of containersOf(pod)) {
      for (const e of c.env ?? []) {
        const ref = (e.valueFrom as { secretKeyRef?: { name: string; optional?: boolean } } | undefined)?.secretKeyRef;
        if (ref) need('Secret', ref.name, ref.optional);
      }
    }
  }
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const spec = svc.spec as { selector?: Record<string, string>; ports: { name: string; targetPort?: string | number }[] };
    const targets = objects.filter((o) => {
      const labels = (o.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels;
      return o.metadata.namespace === svc.metadata.namespace && labels && Object.entries(spec.selector ?? {}).every(([k, v]) => labels[k] === v);
    });
    if (targets.length === 0) problems.push(`${objectRef(svc)}: selects no pod template of the render`);
    for (const port of spec.ports) {
      if (typeof port.targetPort !== 'string') continue;
      const declared = targets.some((t) =>
        containersOf(podSpecOf(t)!).some((c) => ((c.ports as { name?: string }[] | undefined) ?? []).some((p) => p.name === port.targetPort)),
      );
      if (!declared) problems.push(`${objectRef(svc)}: targetPort ${port.targetPort} is no container port of its pods`);
    }
  }
  return problems;
}
