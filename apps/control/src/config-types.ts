import type { ApiServerOptions } from '@meshviz/kube';
import type { HostPort } from '@meshviz/runtime';
import type { InjectorConfig } from './injector/index.js';
import type { KubernetesSourceConfig } from './kubernetes/index.js';

/** The control plane's configuration as config.ts parses it from the environment (CONTROL_ENV). */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type TokenValidatorConfig =
  | { kind: 'local'; keyFile: string }
  | { kind: 'kubernetes'; apiUrl: string; tokenFile: string; caFile: string };

export interface IdentityConfig {
  listen: HostPort;
  trustDomain: string;
  dir: string;
  pollIntervalMs: number;
  leafLifetimeMs: number;
  clockSkewMs: number;
  tokenValidator: TokenValidatorConfig;
}

export interface PolicyConfig {
  listen: HostPort;
  workloadsFile: string;
  dir: string | undefined;
  pollIntervalMs: number;
}

export interface DestinationConfig {
  listen: HostPort;
  /** The discovery table the outbound resources are compiled into. */
  baseFile: string;
  /** Where to also write the compiled table after every applied change (the API reads it); undefined: not written. */
  publishFile: string | undefined;
  /** The policy directory (routes, Service documents), shared with the policy service. */
  dir: string | undefined;
  /** The workloads, when the policy service has them: the directory is validated as the policy service validates it. */
  workloadsFile: string | undefined;
  pollIntervalMs: number;
}

/**
 * A process without the identity service (CONTROL_SERVICES without `identity`): the anchors it trusts and, with
 * policy or destination, how it certifies their serving certificate through the identity service.
 */
export interface AnchorsConfig {
  trustDomain: string;
  /** Undefined only for an injector whose proxies mount the anchors ConfigMap. */
  anchorsFile: string | undefined;
  pollIntervalMs: number;
  certify:
    | {
        identityAddr: HostPort;
        tokenFile: string;
        /** The service account whose token is sent: the process' identity is `<it>.meshviz-system…`. */
        serviceAccount: string;
      }
    | undefined;
}

export interface ControlConfig {
  /** The identity service and the issuer; absent when CONTROL_SERVICES does not list identity. */
  identity: IdentityConfig | undefined;
  /** Present exactly when identity is absent. */
  anchors?: AnchorsConfig | undefined;
  /** CONTROL_SOURCE=kubernetes: destination and policy fed by the cluster (then `policy` and `destination` are absent). */
  kubernetes?: KubernetesSourceConfig | undefined;
  /** The proxy injector webhook, when CONTROL_INJECTOR_LISTEN_ADDR is set. */
  injector?: (InjectorConfig & { api: ApiServerOptions }) | undefined;
  /** Absent when no workloads file is given: the control plane then serves identity only. */
  policy: PolicyConfig | undefined;
  /** Absent when no discovery table is given. */
  destination: DestinationConfig | undefined;
  admin: { listen: HostPort };
  logLevel: LogLevel;
  parentPid: number | undefined;
}
