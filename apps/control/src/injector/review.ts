import { z } from 'zod';
import { injectPod, type PodView } from './inject.js';
import type { InjectorSettings } from './sidecar.js';

/** The parts of an admission.k8s.io/v1 AdmissionReview request the injector reads. */
const AdmissionReview = z.object({
  apiVersion: z.literal('admission.k8s.io/v1', { error: 'must be "admission.k8s.io/v1"' }),
  kind: z.literal('AdmissionReview', { error: 'must be "AdmissionReview"' }),
  request: z.object(
    {
      uid: z.string({ error: 'must be the request uid (a string)' }).min(1, 'must not be empty'),
      kind: z.object({ group: z.string().optional(), version: z.string().optional(), kind: z.string() }),
      namespace: z.string().optional(),
      operation: z.string().optional(),
      object: z.record(z.string(), z.unknown(), { error: 'must be the pod (an object)' }),
    },
    { error: 'is required: the admission request' },
  ),
});

export type ReviewAnswer = { status: 200; body: unknown } | { status: 400; message: string };

/** Looks up a namespace's annotations; undefined when the namespace is not known (yet). */
export type NamespaceAnnotations = (namespace: string) => Readonly<Record<string, string>> | undefined;

/** What the injector judges and builds with, besides the request. */
export interface InjectorContext {
  settings: InjectorSettings;
  namespaceAnnotations: NamespaceAnnotations;
  /** The trust anchors the control plane has loaded (PEM), for proxies that get them inline. */
  trustAnchors: () => string | undefined;
}

/**
 * Answers one AdmissionReview: the same review with `response` set — `allowed: true`, the JSON patch (base64,
 * `patchType: JSONPatch`) when the pod gets the proxy, `warnings` when it is skipped for a reason its owner should
 * hear, `allowed: false` with a 400 status naming the annotation that does not parse. A body that is not an
 * AdmissionReview v1 for a Pod is a 400 of the webhook itself, naming the field.
 */
export function review(body: unknown, ctx: InjectorContext): ReviewAnswer {
  const parsed = AdmissionReview.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { status: 400, message: `not an admission.k8s.io/v1 AdmissionReview: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const { request } = parsed.data;
  if (request.kind.kind !== 'Pod' || (request.kind.group ?? '') !== '') {
    return { status: 400, message: `request.kind: the injector admits Pods only, not ${request.kind.group ? `${request.kind.group}/` : ''}${request.kind.kind}` };
  }
  if (request.operation !== undefined && request.operation !== 'CREATE') {
    // A pod's containers cannot change after it is created: only creations are injected.
    return { status: 200, body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: request.uid, allowed: true } } };
  }
  const namespace = request.namespace ?? (request.object as PodView).metadata?.namespace ?? 'default';
  const nsAnnotations = ctx.namespaceAnnotations(namespace);
  const result = injectPod(request.object as PodView, namespace, nsAnnotations ?? {}, ctx.settings, ctx.trustAnchors());
  const base = { uid: request.uid, allowed: true };
  const warnings = nsAnnotations === undefined ? [`meshviz: namespace ${namespace} is not known to the injector yet; only the pod's annotations were read`] : [];
  let response: Record<string, unknown>;
  switch (result.kind) {
    case 'patch':
      response = { ...base, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(result.patch)).toString('base64') };
      break;
    case 'skip':
      if (result.warn) warnings.push(result.reason);
      response = base;
      break;
    case 'refuse':
      response = { uid: request.uid, allowed: false, status: { code: 400, reason: 'BadRequest', message: result.message } };
      break;
  }
  if (warnings.length > 0) response.warnings = warnings;
  return { status: 200, body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response } };
}
