import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { CONTROL_ENV } from '@meshviz/control/env';
import { kustomizeBuild } from './kustomize.js';
import { containersOf, type KubeObject, podSpecOf } from './objects.js';
import { deployDir } from './paths.js';
import { type InstallTrust, injectorServingCertificate } from './trust.js';

/** The key of the trust anchors ConfigMap, in meshviz-system and in every meshed namespace (the injector mounts it). */
export const TRUST_ANCHORS_KEY = 'ca-bundle.crt';

export const OVERLAYS = ['default', 'dev', 'ha'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** Names the manifests refer to and `meshviz install` fills. */
export const INSTALL_NAMES = {
  controlNamespace: 'meshviz-system',
  vizNamespace: 'meshviz-viz',
  trustAnchors: 'meshviz-identity-trust-anchors',
  issuer: 'meshviz-identity-issuer',
  injectorTls: 'meshviz-proxy-injector-tls',
  webhook: 'meshviz-proxy-injector',
  tapToken: 'meshviz-tap',
} as const;

export interface RenderOptions {
  overlay: Overlay;
  /** The kubectl to run (`kubectl` on PATH by default). */
  kubectl?: string;
}

const overlayDir = (overlay: Overlay, half: 'control' | 'viz') => path.join(deployDir(), 'overlays', overlay, half);
const b64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * The CRDs and the control plane of an overlay, with the trust anchors, the issuer, the injector's serving
 * certificate and the webhook's caBundle filled in, and the trust domain set on every control plane container.
 */
export async function renderControlPlane(options: RenderOptions & { trustDomain: string; trust: InstallTrust }): Promise<KubeObject[]> {
  const objects = await kustomizeBuild(overlayDir(options.overlay, 'control'), options.kubectl);
  const serving = await injectorServingCertificate();
  for (const o of objects) {
    const pod = podSpecOf(o);
    for (const c of pod ? containersOf(pod) : []) {
      for (const e of c.env ?? []) if (e.name === CONTROL_ENV.trustDomain) e.value = options.trustDomain;
    }
    if (o.kind === 'MutatingWebhookConfiguration' && o.metadata.name === INSTALL_NAMES.webhook) {
      for (const hook of o.webhooks as { clientConfig: { caBundle?: string } }[]) hook.clientConfig.caBundle = b64(serving.caPem);
    }
  }
  const ns = INSTALL_NAMES.controlNamespace;
  const labels = { 'app.kubernetes.io/part-of': 'meshviz' };
  const material: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: INSTALL_NAMES.trustAnchors, namespace: ns, labels },
      data: { [TRUST_ANCHORS_KEY]: options.trust.anchorsPem },
    },
    tlsSecret(INSTALL_NAMES.issuer, ns, options.trust.issuer.certPem, options.trust.issuer.keyPem, labels),
    tlsSecret(INSTALL_NAMES.injectorTls, ns, serving.certPem, serving.keyPem, labels, serving.caPem),
  ];
  return afterNamespaces(objects, material);
}

/**
 * The viz stack of an overlay, with a fresh tap token (or the given one) in the Secret the API reads, and the
 * trust anchors ConfigMap its injected proxies mount, when the anchors are given.
 */
export async function renderViz(options: RenderOptions & { tapToken?: string; trustAnchorsPem?: string }): Promise<KubeObject[]> {
  const objects = await kustomizeBuild(overlayDir(options.overlay, 'viz'), options.kubectl);
  const token = options.tapToken ?? randomBytes(32).toString('base64url');
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: INSTALL_NAMES.tapToken, namespace: INSTALL_NAMES.vizNamespace, labels: { 'app.kubernetes.io/part-of': 'meshviz' } },
    type: 'Opaque',
    data: { token: b64(token) },
  };
  const anchors: KubeObject[] = options.trustAnchorsPem
    ? [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: INSTALL_NAMES.trustAnchors, namespace: INSTALL_NAMES.vizNamespace, labels: { 'app.kubernetes.io/part-of': 'meshviz' } },
          data: { [TRUST_ANCHORS_KEY]: options.trustAnchorsPem },
        },
      ]
    : [];
  return afterNamespaces(objects, [...anchors, secret]);
}

/**
 * What `meshviz uninstall` deletes: every object any overlay creates (the ha overlay's are a superset) and the
 * ones `meshviz install` adds, by kind and name only, viz first and the namespaces and CRDs last.
 */
export async function renderUninstall(options: { kubectl?: string }): Promise<KubeObject[]> {
  const control = await kustomizeBuild(overlayDir('ha', 'control'), options.kubectl);
  const viz = await kustomizeBuild(overlayDir('ha', 'viz'), options.kubectl);
  const added = [
    ref('v1', 'ConfigMap', INSTALL_NAMES.trustAnchors, INSTALL_NAMES.controlNamespace),
    ref('v1', 'Secret', INSTALL_NAMES.issuer, INSTALL_NAMES.controlNamespace),
    ref('v1', 'Secret', INSTALL_NAMES.injectorTls, INSTALL_NAMES.controlNamespace),
    ref('v1', 'Secret', INSTALL_NAMES.tapToken, INSTALL_NAMES.vizNamespace),
    ref('v1', 'ConfigMap', INSTALL_NAMES.trustAnchors, INSTALL_NAMES.vizNamespace),
  ];
  // The webhook goes first of all: with the injector gone, pod creations would otherwise wait out its timeout.
  const all = [...viz, ...control, ...added].map((o) => ref(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace));
  const last = new Set(['Namespace', 'CustomResourceDefinition']);
  const webhook = all.filter((o) => o.kind === 'MutatingWebhookConfiguration');
  return [...webhook, ...all.filter((o) => o.kind !== 'MutatingWebhookConfiguration' && !last.has(o.kind)), ...all.filter((o) => last.has(o.kind))];
}

function ref(apiVersion: string, kind: string, name: string, namespace: string | undefined): KubeObject {
  return { apiVersion, kind, metadata: namespace ? { name, namespace } : { name } };
}

function tlsSecret(name: string, namespace: string, certPem: string, keyPem: string, labels: Record<string, string>, caPem?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(certPem), 'tls.key': b64(keyPem), ...(caPem ? { 'ca.crt': b64(caPem) } : {}) },
  };
}

/** Inserts `added` after the Namespaces and CRDs, so `kubectl apply -f -` finds their namespace already there. */
function afterNamespaces(objects: KubeObject[], added: KubeObject[]): KubeObject[] {
  const first = new Set(['Namespace', 'CustomResourceDefinition']);
  const at = objects.findLastIndex((o) => first.has(o.kind)) + 1;
  return [...objects.slice(0, at), ...added, ...objects.slice(at)];
}

