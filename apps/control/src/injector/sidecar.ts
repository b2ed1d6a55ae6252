import { CONTROL_NAMESPACE, IDENTITY_TOKEN_AUDIENCE, identityName, interceptionArgs, PROXY_CONTAINER_NAME, PROXY_PORT_NAMES, PROXY_PORTS, PROXY_UID } from '@meshviz/mesh-types';
import type { ProxyEnvName } from '@meshviz/proxy/env';
import type { PodOverrides } from './annotations.js';

/** The injector's settings (CONTROL_INJECTOR_* and CONTROL_TRUST_DOMAIN). */
export interface InjectorSettings {
  proxyImage: string;
  initImage: string;
  /** The proxy's version, shown as the `meshviz.io/proxy-version` label. */
  proxyVersion: string;
  identityAddr: string;
  destinationAddr: string;
  policyAddr: string;
  /**
   * The service account of the pods serving policy: injected proxies check that the policy service presents
   * `<it>.meshviz-system.serviceaccount.identity.meshviz.<td>` (PROXY_POLICY_SVC_NAME). On Kubernetes policy runs in
   * the destination pods and presents their certificate, certified by the identity service.
   */
  policyServiceAccount: string;
  trustDomain: string;
  /**
   * A ConfigMap in each meshed namespace holding the trust anchors (key TRUST_ANCHORS_KEY), mounted so a new bundle
   * reaches running proxies; undefined: the anchors the control plane has loaded are written into the proxy's
   * environment (new pods get a new bundle; running ones keep theirs until they restart).
   */
  trustAnchorsConfigMap: string | undefined;
  defaultInboundPolicy: string;
  proxyLogLevel: string;
  /** The bearer token injected proxies' tap servers accept (the API's API_PROXY_TAP_TOKEN); undefined: tap refused. */
  proxyTapToken?: string | undefined;
}

export const PROXY_CONTAINER = PROXY_CONTAINER_NAME;
export const INIT_CONTAINER = 'meshviz-init';
export const TOKEN_VOLUME = 'meshviz-identity-token';
export const TRUST_ANCHORS_VOLUME = 'meshviz-trust-anchors';
export const TRUST_ANCHORS_KEY = 'ca-bundle.crt';
const TOKEN_DIR = '/var/run/meshviz/identity/token';
const TRUST_ANCHORS_DIR = '/var/run/meshviz/identity/trust-anchors';
/** A day, the longest a projected token lives before the kubelet rotates it (the proxy re-reads it). */
const TOKEN_EXPIRATION_SECONDS = 86_400;

/** What of the pod the sidecar's environment depends on. */
export interface PodFacts {
  namespace: string;
  serviceAccount: string;
  /** `<namespace>/<workload>`, the policy the proxy streams. */
  workload: string;
  /** The workload's name as tap events name it (PROXY_DEPLOYMENT). */
  deployment: string;
  /** The first application container port: where the inbound side forwards. */
  appPort: number | undefined;
  /** httpGet probe paths of the application containers, authorized by the default policy. */
  probePaths: string[];
}

const HARDENED = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

type ProxyVariable = { name: ProxyEnvName; value?: string; valueFrom?: unknown };

const admin = (path: string) => ({ httpGet: { path, port: PROXY_PORTS.admin } });

/**
 * The proxy as a native sidecar: an init container with `restartPolicy: Always`, so it starts before the
 * application containers — which start only once its startup probe (`/ready`: the proxy holds its certificate)
 * passes — and stops after them.
 */
export function proxyContainer(settings: InjectorSettings, pod: PodFacts, overrides: PodOverrides, anchorsPem: string): Record<string, unknown> {
  // The proxy's own variable names (a type only: the control plane does not load the proxy), so a renamed variable
  // is a type error here.
  const anchors: ProxyVariable = settings.trustAnchorsConfigMap
    ? { name: 'PROXY_IDENTITY_TRUST_ANCHORS_FILE', value: `${TRUST_ANCHORS_DIR}/${TRUST_ANCHORS_KEY}` }
    : { name: 'PROXY_IDENTITY_TRUST_ANCHORS', value: anchorsPem };
  const env: ProxyVariable[] = [
    { name: 'PROXY_INBOUND_LISTEN_ADDR', value: `0.0.0.0:${PROXY_PORTS.inbound}` },
    { name: 'PROXY_OUTBOUND_LISTEN_ADDR', value: `127.0.0.1:${PROXY_PORTS.outbound}` },
    { name: 'PROXY_ADMIN_LISTEN_ADDR', value: `0.0.0.0:${PROXY_PORTS.admin}` },
    { name: 'PROXY_TAP_LISTEN_ADDR', value: `0.0.0.0:${PROXY_PORTS.tap}` },
    ...(pod.appPort !== undefined ? [{ name: 'PROXY_INBOUND_FORWARD_ADDR', value: `127.0.0.1:${pod.appPort}` } satisfies ProxyVariable] : []),
    { name: 'PROXY_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'PROXY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'PROXY_DEPLOYMENT', value: pod.deployment },
    { name: 'PROXY_LOG_LEVEL', value: overrides.logLevel ?? settings.proxyLogLevel },
    {
      name: 'PROXY_IDENTITY_LOCAL_NAME',
      value: identityName({ serviceAccount: pod.serviceAccount, namespace: pod.namespace, trustDomain: settings.trustDomain }),
    },
    { name: 'PROXY_IDENTITY_SVC_ADDR', value: settings.identityAddr },
    { name: 'PROXY_IDENTITY_TOKEN_FILE', value: `${TOKEN_DIR}/token` },
    anchors,
    { name: 'PROXY_DESTINATION_SVC_ADDR', value: settings.destinationAddr },
    { name: 'PROXY_POLICY_SVC_ADDR', value: settings.policyAddr },
    {
      name: 'PROXY_POLICY_SVC_NAME',
      value: identityName({ serviceAccount: settings.policyServiceAccount, namespace: CONTROL_NAMESPACE, trustDomain: settings.trustDomain }),
    },
    { name: 'PROXY_POLICY_WORKLOAD', value: pod.workload },
    { name: 'PROXY_INBOUND_DEFAULT_POLICY', value: overrides.defaultInboundPolicy ?? settings.defaultInboundPolicy },
    ...(pod.probePaths.length > 0 ? [{ name: 'PROXY_INBOUND_PROBE_PATHS', value: pod.probePaths.join(',') } satisfies ProxyVariable] : []),
    ...(overrides.opaquePorts ? [{ name: 'PROXY_OPAQUE_PORTS', value: overrides.opaquePorts.join(',') || 'none' } satisfies ProxyVariable] : []),
    ...(settings.proxyTapToken ? [{ name: 'PROXY_TAP_TOKEN', value: settings.proxyTapToken } satisfies ProxyVariable] : []),
  ];
  const { requests, limits } = overrides.resources;
  return {
    name: PROXY_CONTAINER,
    image: settings.proxyImage,
    restartPolicy: 'Always',
    env,
    ports: [
      { name: PROXY_PORT_NAMES.inbound, containerPort: PROXY_PORTS.inbound, protocol: 'TCP' },
      { name: PROXY_PORT_NAMES.admin, containerPort: PROXY_PORTS.admin, protocol: 'TCP' },
      { name: PROXY_PORT_NAMES.tap, containerPort: PROXY_PORTS.tap, protocol: 'TCP' },
    ],
    // Up to two minutes for the first certificate; the application waits for it.
    startupProbe: { ...admin('/ready'), periodSeconds: 1, failureThreshold: 120 },
    readinessProbe: { ...admin('/ready'), periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { ...admin('/live'), periodSeconds: 10, failureThreshold: 3 },
    ...(Object.keys(requests).length + Object.keys(limits).length > 0
      ? { resources: { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) } }
      : {}),
    securityContext: {
      ...HARDENED,
      runAsUser: PROXY_UID,
      runAsGroup: PROXY_UID,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: TOKEN_VOLUME, mountPath: TOKEN_DIR, readOnly: true },
      ...(settings.trustAnchorsConfigMap ? [{ name: TRUST_ANCHORS_VOLUME, mountPath: TRUST_ANCHORS_DIR, readOnly: true }] : []),
    ],
  };
}

/**
 * The iptables step, the first init container: writes the rules that send the pod's inbound TCP to the proxy's
 * inbound port and the application's outbound TCP to its outbound port. Writing a network namespace's rules needs
 * NET_ADMIN and NET_RAW, and iptables checks for uid 0 — so this one container runs as root (runAsNonRoot false),
 * with those two capabilities only, every other dropped, no privilege escalation, and exits before the
 * application starts.
 */
export function initContainer(settings: InjectorSettings, overrides: PodOverrides): Record<string, unknown> {
  return {
    name: INIT_CONTAINER,
    image: settings.initImage,
    command: ['meshviz-proxy-init'],
    args: interceptionArgs(overrides.interception),
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    securityContext: {
      ...HARDENED,
      runAsUser: 0,
      runAsNonRoot: false,
      privileged: false,
      capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
    },
  };
}

/** The projected service-account token (audience of the identity service) and the trust anchors' ConfigMap, if any. */
export function sidecarVolumes(settings: InjectorSettings): Record<string, unknown>[] {
  return [
    {
      name: TOKEN_VOLUME,
      projected: {
        sources: [{ serviceAccountToken: { audience: IDENTITY_TOKEN_AUDIENCE, expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } }],
      },
    },
    ...(settings.trustAnchorsConfigMap
      ? [{ name: TRUST_ANCHORS_VOLUME, configMap: { name: settings.trustAnchorsConfigMap, items: [{ key: TRUST_ANCHORS_KEY, path: TRUST_ANCHORS_KEY }] } }]
      : []),
  ];
}
