import type { ApiServerOptions } from '@meshviz/kube';
import { CONTROL_NAMESPACE, DEFAULT_CLUSTER_NETWORKS, DEFAULT_TRUST_DOMAIN, DefaultPolicy, parseDurationSeconds } from '@meshviz/mesh-types';
import { parseCidr } from '@meshviz/policy';
import { parseEnv, parseHostPort } from '@meshviz/runtime';
import { z } from 'zod';
import { type AnchorsConfig, type ControlConfig, type IdentityConfig, LOG_LEVELS } from './config-types.js';
import { type ControlServiceName, defaultServices, parseServiceList, serviceProblems } from './control-services.js';
import { PROXY_LOG_LEVELS } from './injector/annotations.js';

export { ConfigError } from '@meshviz/runtime';

/**
 * The control plane's variables, exported so launchers (`meshviz up`, manifests' generators) build a child's
 * environment from the same names this module reads.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | CONTROL_SERVICES | identity, and each other service configured below | comma-separated services this process runs: `identity`, `policy`, `destination`, `injector`; a listed service without its settings, or settings of a service not listed, is refused |
 * | CONTROL_IDENTITY_LISTEN_ADDR | 0.0.0.0:8080 | host:port of the identity service (HTTPS, TLS 1.3); port 0 picks a free one |
 * | CONTROL_ADMIN_LISTEN_ADDR | 0.0.0.0:9990 | host:port of /live, /ready and /metrics (plain HTTP) |
 * | CONTROL_TRUST_DOMAIN | cluster.local | trust domain of every identity this control plane certifies |
 * | CONTROL_IDENTITY_DIR | required with identity | trust directory: ca.crt, issuer.crt and issuer.key (never ca.key); polled for changes |
 * | CONTROL_IDENTITY_POLL_INTERVAL | 2s | how often the trust files (or CONTROL_TRUST_ANCHORS_FILE) are checked for changes |
 * | CONTROL_IDENTITY_LEAF_LIFETIME | 24h | lifetime of issued leaves |
 * | CONTROL_IDENTITY_CLOCK_SKEW | 20s | how far before now a leaf's notBefore is set |
 * | CONTROL_IDENTITY_TOKEN_VALIDATOR | local | `local` (workload tokens signed with a key file) or `kubernetes` (TokenReview) |
 * | CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE | required for `local` | the key local workload tokens are signed with (at least 32 bytes) |
 * | CONTROL_IDENTITY_SVC_ADDR | required for policy/destination without identity | host:port of the identity service their serving certificate is certified by (it must present identity.meshviz-system…) |
 * | CONTROL_IDENTITY_TOKEN_FILE | required for policy/destination without identity | the projected service-account token (audience identity.meshviz.io) sent with the CSR; re-read at every renewal |
 * | CONTROL_TRUST_ANCHORS_FILE | required without identity (the injector: unless CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP) | PEM bundle of the trust anchors: the identity service and clients are checked against it, the injector writes it into pods; polled for changes |
 * | CONTROL_KUBERNETES_API_URL | https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT | the Kubernetes API, for `kubernetes` |
 * | CONTROL_KUBERNETES_TOKEN_FILE | /var/run/secrets/kubernetes.io/serviceaccount/token | the control plane's own token, sent as bearer |
 * | CONTROL_KUBERNETES_CA_FILE | /var/run/secrets/kubernetes.io/serviceaccount/ca.crt | CA bundle the API server's certificate is checked against |
 * | CONTROL_POLICY_LISTEN_ADDR | 0.0.0.0:8090 | host:port of the policy service (HTTPS, mutual TLS 1.3) |
 * | CONTROL_POLICY_WORKLOADS_FILE | — | the workloads to compile policies for (JSON, written by `meshviz up`); unset: no policy service |
 * | CONTROL_POLICY_DIR | — | directory of policy resources (YAML), outbound routes and Service documents included; watched by both streaming services |
 * | CONTROL_POLICY_POLL_INTERVAL | 2s | fallback poll of the policy directory and the files (changes are also notified at once) |
 * | CONTROL_DESTINATION_LISTEN_ADDR | 0.0.0.0:8086 | host:port of the destination service (HTTPS, mutual TLS 1.3) |
 * | CONTROL_DESTINATION_PUBLISH_FILE | — | where to also write the compiled table after every applied change (for the API); unset: not written |
 * | CONTROL_DESTINATION_BASE_FILE | — | the discovery table of services and endpoints (DestinationsFile JSON, written by `meshviz up`); watched; unset: no destination service |
 * | CONTROL_SOURCE | local | where destination and policy read the mesh: `local` (the files above) or `kubernetes` (list/watch of Services, EndpointSlices, pods, policy CRDs and Gateway API routes) |
 * | CONTROL_CLUSTER_NETWORKS | the private ranges | with `kubernetes`: comma-separated CIDRs the `cluster-*` default policies call the cluster |
 * | CONTROL_INJECTOR_LISTEN_ADDR | — | host:port of the proxy injector webhook (HTTPS, POST /inject); unset: no injector |
 * | CONTROL_INJECTOR_TLS_CERT_FILE, CONTROL_INJECTOR_TLS_KEY_FILE | required with the injector | the webhook's serving certificate (PEM) and key; re-read every 30 s |
 * | CONTROL_INJECTOR_PROXY_IMAGE | required with the injector | the proxy image injected as the native sidecar |
 * | CONTROL_INJECTOR_INIT_IMAGE | the proxy image | the image of the iptables init step (runs `meshviz-proxy-init`) |
 * | CONTROL_INJECTOR_PROXY_VERSION | the proxy image's tag | the `meshviz.io/proxy-version` label of injected pods |
 * | CONTROL_INJECTOR_IDENTITY_ADDR | identity.meshviz-system.svc.cluster.local:8080 | the identity service, as injected proxies reach it |
 * | CONTROL_INJECTOR_DESTINATION_ADDR | destination.meshviz-system.svc.cluster.local:8086 | the destination service, as injected proxies reach it |
 * | CONTROL_INJECTOR_POLICY_ADDR | policy.meshviz-system.svc.cluster.local:8090 | the policy service, as injected proxies reach it |
 * | CONTROL_INJECTOR_POLICY_SERVICE_ACCOUNT | destination | the service account of the pods serving policy: injected proxies check the policy service presents `<it>.meshviz-system…` (it runs in the destination pods) |
 * | CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP | — | a ConfigMap in every meshed namespace (key `ca-bundle.crt`) mounted as the proxy's trust anchors; unset: the loaded anchors are written into the proxy's environment |
 * | CONTROL_INJECTOR_DEFAULT_INBOUND_POLICY | all-unauthenticated | injected proxies' default inbound policy unless `config.meshviz.io/default-inbound-policy` says otherwise |
 * | CONTROL_INJECTOR_PROXY_TAP_TOKEN | — | the token injected proxies' tap servers accept (PROXY_TAP_TOKEN; the API's API_PROXY_TAP_TOKEN); unset: tap refused |
 * | CONTROL_INJECTOR_PROXY_LOG_LEVEL | info | injected proxies' log level unless `config.meshviz.io/proxy-log-level` says otherwise |
 * | CONTROL_LOG_LEVEL | info | pino level |
 * | CONTROL_PARENT_PID | — | exit when this process is gone (used by `meshviz up`) |
 */
export const CONTROL_ENV = {
  services: 'CONTROL_SERVICES',
  identityListenAddr: 'CONTROL_IDENTITY_LISTEN_ADDR',
  adminListenAddr: 'CONTROL_ADMIN_LISTEN_ADDR',
  trustDomain: 'CONTROL_TRUST_DOMAIN',
  identityDir: 'CONTROL_IDENTITY_DIR',
  identityPollInterval: 'CONTROL_IDENTITY_POLL_INTERVAL',
  leafLifetime: 'CONTROL_IDENTITY_LEAF_LIFETIME',
  clockSkew: 'CONTROL_IDENTITY_CLOCK_SKEW',
  tokenValidator: 'CONTROL_IDENTITY_TOKEN_VALIDATOR',
  localTokenKeyFile: 'CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE',
  identitySvcAddr: 'CONTROL_IDENTITY_SVC_ADDR',
  identityTokenFile: 'CONTROL_IDENTITY_TOKEN_FILE',
  trustAnchorsFile: 'CONTROL_TRUST_ANCHORS_FILE',
  kubernetesApiUrl: 'CONTROL_KUBERNETES_API_URL',
  kubernetesTokenFile: 'CONTROL_KUBERNETES_TOKEN_FILE',
  kubernetesCaFile: 'CONTROL_KUBERNETES_CA_FILE',
  policyListenAddr: 'CONTROL_POLICY_LISTEN_ADDR',
  policyWorkloadsFile: 'CONTROL_POLICY_WORKLOADS_FILE',
  policyDir: 'CONTROL_POLICY_DIR',
  policyPollInterval: 'CONTROL_POLICY_POLL_INTERVAL',
  destinationListenAddr: 'CONTROL_DESTINATION_LISTEN_ADDR',
  destinationBaseFile: 'CONTROL_DESTINATION_BASE_FILE',
  destinationPublishFile: 'CONTROL_DESTINATION_PUBLISH_FILE',
  source: 'CONTROL_SOURCE',
  clusterNetworks: 'CONTROL_CLUSTER_NETWORKS',
  injectorListenAddr: 'CONTROL_INJECTOR_LISTEN_ADDR',
  injectorCertFile: 'CONTROL_INJECTOR_TLS_CERT_FILE',
  injectorKeyFile: 'CONTROL_INJECTOR_TLS_KEY_FILE',
  injectorProxyImage: 'CONTROL_INJECTOR_PROXY_IMAGE',
  injectorInitImage: 'CONTROL_INJECTOR_INIT_IMAGE',
  injectorProxyVersion: 'CONTROL_INJECTOR_PROXY_VERSION',
  injectorIdentityAddr: 'CONTROL_INJECTOR_IDENTITY_ADDR',
  injectorDestinationAddr: 'CONTROL_INJECTOR_DESTINATION_ADDR',
  injectorPolicyAddr: 'CONTROL_INJECTOR_POLICY_ADDR',
  injectorPolicyServiceAccount: 'CONTROL_INJECTOR_POLICY_SERVICE_ACCOUNT',
  injectorTrustAnchorsConfigMap: 'CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP',
  injectorDefaultInboundPolicy: 'CONTROL_INJECTOR_DEFAULT_INBOUND_POLICY',
  injectorProxyLogLevel: 'CONTROL_INJECTOR_PROXY_LOG_LEVEL',
  injectorProxyTapToken: 'CONTROL_INJECTOR_PROXY_TAP_TOKEN',
  logLevel: 'CONTROL_LOG_LEVEL',
  parentPid: 'CONTROL_PARENT_PID',
} as const;


export type {
  AnchorsConfig,
  ControlConfig,
  DestinationConfig,
  IdentityConfig,
  PolicyConfig,
  TokenValidatorConfig,
} from './config-types.js';
export { LOG_LEVELS, type LogLevel } from './config-types.js';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TRUST_DOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const hostPort = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((text) => parseHostPort(text) !== null, 'must be host:port, e.g. 0.0.0.0:8080 or [::]:8080');
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((text) => (parseDurationSeconds(text) ?? 0) > 0, 'must be a positive duration such as 24h, 90m or 20s');
const path = z.string().min(1, 'must be a file path');
const serviceAddr = (service: string, port: number) =>
  z
    .string()
    .default(`${service}.${CONTROL_NAMESPACE}.svc.cluster.local:${port}`)
    .refine((text) => parseHostPort(text) !== null, 'must be host:port, e.g. identity.meshviz-system.svc.cluster.local:8080');
const IMAGE = /^[a-z0-9]+([._/:@-][a-zA-Z0-9_.-]+)*$/;
const image = z.string().regex(IMAGE, 'must be an image reference such as registry.example/meshviz/proxy:0.1.0');

const Env = z
  .object({
    CONTROL_IDENTITY_LISTEN_ADDR: hostPort('0.0.0.0:8080'),
    CONTROL_ADMIN_LISTEN_ADDR: hostPort('0.0.0.0:9990'),
    CONTROL_TRUST_DOMAIN: z
      .string()
      .default(DEFAULT_TRUST_DOMAIN)
      .refine((text) => TRUST_DOMAIN.test(text), 'must be a lower-case DNS name such as cluster.local'),
    CONTROL_SERVICES: z
      .string()
      .superRefine((text, ctx) => {
        const parsed = parseServiceList(text);
        if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      })
      .optional(),
    CONTROL_IDENTITY_DIR: z.string().min(1, 'must be the trust directory (ca.crt, issuer.crt, issuer.key)').optional(),
    CONTROL_IDENTITY_SVC_ADDR: z
      .string()
      .refine((text) => parseHostPort(text) !== null, 'must be host:port, e.g. identity.meshviz-system.svc.cluster.local:8080')
      .optional(),
    CONTROL_IDENTITY_TOKEN_FILE: path.optional(),
    CONTROL_TRUST_ANCHORS_FILE: path.optional(),
    CONTROL_IDENTITY_POLL_INTERVAL: duration('2s'),
    CONTROL_IDENTITY_LEAF_LIFETIME: duration('24h'),
    CONTROL_IDENTITY_CLOCK_SKEW: z
      .string()
      .default('20s')
      .refine((text) => parseDurationSeconds(text) !== null, 'must be a duration such as 20s (0s for none)'),
    CONTROL_IDENTITY_TOKEN_VALIDATOR: z.enum(['local', 'kubernetes']).default('local'),
    CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: path.optional(),
    CONTROL_KUBERNETES_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    KUBERNETES_SERVICE_HOST: z.string().optional(),
    KUBERNETES_SERVICE_PORT: z.string().optional(),
    CONTROL_KUBERNETES_TOKEN_FILE: path.default(`${SERVICE_ACCOUNT_DIR}/token`),
    CONTROL_KUBERNETES_CA_FILE: path.default(`${SERVICE_ACCOUNT_DIR}/ca.crt`),
    CONTROL_POLICY_LISTEN_ADDR: hostPort('0.0.0.0:8090'),
    CONTROL_POLICY_WORKLOADS_FILE: path.optional(),
    CONTROL_POLICY_DIR: path.optional(),
    CONTROL_POLICY_POLL_INTERVAL: duration('2s'),
    CONTROL_DESTINATION_LISTEN_ADDR: hostPort('0.0.0.0:8086'),
    CONTROL_DESTINATION_BASE_FILE: path.optional(),
    CONTROL_DESTINATION_PUBLISH_FILE: path.optional(),
    CONTROL_SOURCE: z.enum(['local', 'kubernetes']).default('local'),
    CONTROL_CLUSTER_NETWORKS: z
      .string()
      .default(DEFAULT_CLUSTER_NETWORKS.join(','))
      .refine((text) => cidrList(text).every((c) => typeof parseCidr(c) !== 'string') && cidrList(text).length > 0, 'must be comma-separated CIDRs such as 10.0.0.0/8,fd00::/8'),
    CONTROL_INJECTOR_LISTEN_ADDR: z
      .string()
      .refine((text) => parseHostPort(text) !== null, 'must be host:port, e.g. 0.0.0.0:8443')
      .optional(),
    CONTROL_INJECTOR_TLS_CERT_FILE: path.optional(),
    CONTROL_INJECTOR_TLS_KEY_FILE: path.optional(),
    CONTROL_INJECTOR_PROXY_IMAGE: image.optional(),
    CONTROL_INJECTOR_INIT_IMAGE: image.optional(),
    CONTROL_INJECTOR_PROXY_VERSION: z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'must be a label value such as 0.1.0').optional(),
    CONTROL_INJECTOR_IDENTITY_ADDR: serviceAddr('identity', 8080),
    CONTROL_INJECTOR_DESTINATION_ADDR: serviceAddr('destination', 8086),
    CONTROL_INJECTOR_POLICY_ADDR: serviceAddr('policy', 8090),
    CONTROL_INJECTOR_POLICY_SERVICE_ACCOUNT: z
      .string()
      .default('destination')
      .refine((text) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text), 'must be a service account name such as destination'),
    CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a ConfigMap name such as meshviz-identity-trust-anchors')
      .optional(),
    CONTROL_INJECTOR_DEFAULT_INBOUND_POLICY: DefaultPolicy.default('all-unauthenticated'),
    CONTROL_INJECTOR_PROXY_LOG_LEVEL: z.enum(PROXY_LOG_LEVELS).default('info'),
    CONTROL_INJECTOR_PROXY_TAP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    CONTROL_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    CONTROL_PARENT_PID: z.coerce.number().int().positive().optional(),
  })
  .superRefine((env, ctx) => {
    const runsIdentity = servicesOf(env).includes('identity');
    if (runsIdentity && env.CONTROL_IDENTITY_TOKEN_VALIDATOR === 'local' && !env.CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: [CONTROL_ENV.localTokenKeyFile],
        message: `is required when ${CONTROL_ENV.tokenValidator} is local`,
      });
    }
    const needsApi = [
      runsIdentity && env.CONTROL_IDENTITY_TOKEN_VALIDATOR === 'kubernetes' ? `${CONTROL_ENV.tokenValidator}=kubernetes` : undefined,
      env.CONTROL_SOURCE === 'kubernetes' ? `${CONTROL_ENV.source}=kubernetes` : undefined,
      env.CONTROL_INJECTOR_LISTEN_ADDR ? CONTROL_ENV.injectorListenAddr : undefined,
    ].filter(Boolean);
    if (needsApi.length > 0 && !env.CONTROL_KUBERNETES_API_URL && !(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT)) {
      ctx.addIssue({
        code: 'custom',
        path: [CONTROL_ENV.kubernetesApiUrl],
        message: `is required outside a pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set) for ${needsApi.join(' and ')}`,
      });
    }
    if (env.CONTROL_SOURCE === 'kubernetes') {
      for (const variable of [CONTROL_ENV.destinationBaseFile, CONTROL_ENV.policyWorkloadsFile, CONTROL_ENV.policyDir] as const) {
        if (env[variable]) ctx.addIssue({ code: 'custom', path: [variable], message: `is a local source; unset it with ${CONTROL_ENV.source}=kubernetes` });
      }
    }
    if (env.CONTROL_INJECTOR_LISTEN_ADDR && servicesOf(env).includes('injector')) {
      for (const variable of [CONTROL_ENV.injectorCertFile, CONTROL_ENV.injectorKeyFile, CONTROL_ENV.injectorProxyImage] as const) {
        if (!env[variable]) ctx.addIssue({ code: 'custom', path: [variable], message: `is required with ${CONTROL_ENV.injectorListenAddr}` });
      }
    }
    const lifetime = parseDurationSeconds(env.CONTROL_IDENTITY_LEAF_LIFETIME) ?? 0;
    if (lifetime > 0 && lifetime < 10) {
      ctx.addIssue({ code: 'custom', path: [CONTROL_ENV.leafLifetime], message: 'must be at least 10s' });
    }
  });

type ParsedEnv = z.output<typeof Env>;

/** CONTROL_SERVICES (already checked), or what the other variables configure. */
function servicesOf(env: ParsedEnv): ControlServiceName[] {
  const explicit = env.CONTROL_SERVICES === undefined ? undefined : parseServiceList(env.CONTROL_SERVICES);
  if (Array.isArray(explicit)) return explicit;
  const kubernetes = env.CONTROL_SOURCE === 'kubernetes';
  return defaultServices({
    policy: kubernetes || env.CONTROL_POLICY_WORKLOADS_FILE !== undefined,
    destination: kubernetes || env.CONTROL_DESTINATION_BASE_FILE !== undefined,
    injector: env.CONTROL_INJECTOR_LISTEN_ADDR !== undefined,
  });
}

/** The schema with the checks of which services run against the variables actually set. */
const envWithServices = (given: ReadonlySet<string>) =>
  Env.superRefine((env, ctx) => {
    for (const problem of serviceProblems(servicesOf(env), given, env.CONTROL_SERVICES !== undefined, env.CONTROL_SOURCE)) {
      ctx.addIssue({ code: 'custom', path: [problem.variable], message: problem.message });
    }
  });

/** The configuration from this process' environment; only main.ts calls it. */
export const loadConfig = (): ControlConfig => parseConfig(process.env);

/** Parses the environment once; throws ConfigError naming the first bad variable and listing every problem. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): ControlConfig {
  const given = new Set(Object.keys(env).filter((name) => name.startsWith('CONTROL_') && env[name] !== undefined));
  const e = parseEnv(envWithServices(given), env);
  const services = servicesOf(e);
  const runs = (name: ControlServiceName) => services.includes(name);
  const api: ApiServerOptions = {
    apiUrl: (e.CONTROL_KUBERNETES_API_URL ?? inClusterApiUrl(e.KUBERNETES_SERVICE_HOST ?? '', e.KUBERNETES_SERVICE_PORT ?? '')).replace(/\/+$/, ''),
    tokenFile: e.CONTROL_KUBERNETES_TOKEN_FILE,
    caFile: e.CONTROL_KUBERNETES_CA_FILE,
  };
  const kubernetes = e.CONTROL_SOURCE === 'kubernetes' && (runs('policy') || runs('destination'));
  const injector = runs('injector') ? e.CONTROL_INJECTOR_LISTEN_ADDR : undefined;
  const proxyImage = e.CONTROL_INJECTOR_PROXY_IMAGE ?? '';
  return {
    kubernetes: kubernetes
      ? {
          api,
          clusterNetworks: cidrList(e.CONTROL_CLUSTER_NETWORKS),
          destination: runs('destination')
            ? { listen: parseHostPort(e.CONTROL_DESTINATION_LISTEN_ADDR)!, publishFile: e.CONTROL_DESTINATION_PUBLISH_FILE }
            : undefined,
          policy: runs('policy') ? { listen: parseHostPort(e.CONTROL_POLICY_LISTEN_ADDR)! } : undefined,
        }
      : undefined,
    injector: injector
      ? {
          api,
          listen: parseHostPort(injector)!,
          certFile: e.CONTROL_INJECTOR_TLS_CERT_FILE!,
          keyFile: e.CONTROL_INJECTOR_TLS_KEY_FILE!,
          settings: {
            proxyImage,
            initImage: e.CONTROL_INJECTOR_INIT_IMAGE ?? proxyImage,
            proxyVersion: e.CONTROL_INJECTOR_PROXY_VERSION ?? imageTag(proxyImage),
            identityAddr: e.CONTROL_INJECTOR_IDENTITY_ADDR,
            destinationAddr: e.CONTROL_INJECTOR_DESTINATION_ADDR,
            policyAddr: e.CONTROL_INJECTOR_POLICY_ADDR,
            policyServiceAccount: e.CONTROL_INJECTOR_POLICY_SERVICE_ACCOUNT,
            trustDomain: e.CONTROL_TRUST_DOMAIN,
            trustAnchorsConfigMap: e.CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP,
            defaultInboundPolicy: e.CONTROL_INJECTOR_DEFAULT_INBOUND_POLICY,
            proxyLogLevel: e.CONTROL_INJECTOR_PROXY_LOG_LEVEL,
            proxyTapToken: e.CONTROL_INJECTOR_PROXY_TAP_TOKEN,
          },
        }
      : undefined,
    ...(runs('identity') ? {} : { anchors: anchorsConfig(e, runs('policy') || runs('destination'), runs('destination')) }),
    identity: runs('identity') ? identityConfig(e, api) : undefined,
    policy:
      e.CONTROL_POLICY_WORKLOADS_FILE && runs('policy') && !kubernetes
        ? {
            listen: parseHostPort(e.CONTROL_POLICY_LISTEN_ADDR)!,
            workloadsFile: e.CONTROL_POLICY_WORKLOADS_FILE,
            dir: e.CONTROL_POLICY_DIR,
            pollIntervalMs: seconds(e.CONTROL_POLICY_POLL_INTERVAL),
          }
        : undefined,
    destination:
      e.CONTROL_DESTINATION_BASE_FILE && runs('destination') && !kubernetes
        ? {
            listen: parseHostPort(e.CONTROL_DESTINATION_LISTEN_ADDR)!,
            baseFile: e.CONTROL_DESTINATION_BASE_FILE,
            publishFile: e.CONTROL_DESTINATION_PUBLISH_FILE,
            dir: e.CONTROL_POLICY_DIR,
            workloadsFile: e.CONTROL_POLICY_WORKLOADS_FILE,
            pollIntervalMs: seconds(e.CONTROL_POLICY_POLL_INTERVAL),
          }
        : undefined,
    admin: { listen: parseHostPort(e.CONTROL_ADMIN_LISTEN_ADDR)! },
    logLevel: e.CONTROL_LOG_LEVEL,
    parentPid: e.CONTROL_PARENT_PID,
  };
}

const seconds = (text: string) => (parseDurationSeconds(text) ?? 0) * 1000;

function identityConfig(e: ParsedEnv, api: ApiServerOptions): IdentityConfig {
  return {
    listen: parseHostPort(e.CONTROL_IDENTITY_LISTEN_ADDR)!,
    trustDomain: e.CONTROL_TRUST_DOMAIN,
    dir: e.CONTROL_IDENTITY_DIR!,
    pollIntervalMs: seconds(e.CONTROL_IDENTITY_POLL_INTERVAL),
    leafLifetimeMs: seconds(e.CONTROL_IDENTITY_LEAF_LIFETIME),
    clockSkewMs: seconds(e.CONTROL_IDENTITY_CLOCK_SKEW),
    tokenValidator:
      e.CONTROL_IDENTITY_TOKEN_VALIDATOR === 'local'
        ? { kind: 'local', keyFile: e.CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE! }
        : { kind: 'kubernetes', apiUrl: api.apiUrl, tokenFile: e.CONTROL_KUBERNETES_TOKEN_FILE, caFile: e.CONTROL_KUBERNETES_CA_FILE },
  };
}

/**
 * A process without identity. Its policy and destination listeners present one certificate, named after the
 * service account of its pod: `destination` when it runs destination (the Deployment that runs both), else `policy`.
 */
function anchorsConfig(e: ParsedEnv, certifies: boolean, runsDestination: boolean): AnchorsConfig {
  return {
    trustDomain: e.CONTROL_TRUST_DOMAIN,
    anchorsFile: e.CONTROL_TRUST_ANCHORS_FILE,
    pollIntervalMs: seconds(e.CONTROL_IDENTITY_POLL_INTERVAL),
    certify: certifies
      ? {
          identityAddr: parseHostPort(e.CONTROL_IDENTITY_SVC_ADDR!)!,
          tokenFile: e.CONTROL_IDENTITY_TOKEN_FILE!,
          serviceAccount: runsDestination ? 'destination' : 'policy',
        }
      : undefined,
  };
}

function cidrList(text: string): string[] {
  return text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** `registry.example/meshviz/proxy:0.1.0` → `0.1.0`; no tag (or a digest only): `unknown`. */
function imageTag(image: string): string {
  const tag = /:([A-Za-z0-9_.-]{1,63})$/.exec(image.split('@')[0] ?? '')?.[1];
  return tag && !tag.includes('/') ? tag : 'unknown';
}

function inClusterApiUrl(host: string, port: string): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
