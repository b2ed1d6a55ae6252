import type { ApiServerOptions } from '@meshviz/kube';
import { CONTROL_NAMESPACE, DEFAULT_CLUSTER_NETWORKS, DEFAULT_TRUST_DOMAIN, DefaultPolicy, parseDurationSeconds } from '@meshviz/mesh-types';
import { parseCidr } from '@meshviz/policy';
import { parseEnv, parseHostPort } from '@meshviz/runtime';
import { z } from 'zod';
import { type AnchorsConfig, type ControlConfig, type IdentityConfig, LOG_LEVELS } from './config-types.js';
import { type ControlServiceName, defaultServices, parseServiceList, serviceProblems } from './control-services.js';
import { CONTROL_ENV, type ControlEnvName } from './env.js';
import { PROXY_LOG_LEVELS } from './injector/annotations.js';

export { ConfigError } from '@meshviz/runtime';
export type {
  AnchorsConfig,
  ControlConfig,
  DestinationConfig,
  IdentityConfig,
  PolicyConfig,
  TokenValidatorConfig,
} from './config-types.js';
export { LOG_LEVELS, type LogLevel } from './config-types.js';
export { CONTROL_ENV, type ControlEnv, type ControlEnvName } from './env.js';

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
  } satisfies Record<ControlEnvName | 'KUBERNETES_SERVICE_HOST' | 'KUBERNETES_SERVICE_PORT', z.ZodType>)
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
