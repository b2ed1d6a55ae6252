import 'server-only';
import { DNS1123_LABEL } from '@meshviz/mesh-types';
import { ConfigError, parseEnv, trimmedVariable } from '@meshviz/runtime/env';
import { hostAllowListPattern, hostAllowListVariable } from '@meshviz/runtime/host-allow-list';
import { z } from 'zod';
import type { WebEnvName } from './env';

export { NEXT_ENV, WEB_ENV, type WebEnv } from './env';
export { ConfigError };

/**
 * The web's runtime configuration. Every variable is documented here and nothing else reads process.env.
 *
 * - MESHVIZ_API_URL (required at runtime): base URL of the meshviz public API, e.g. http://127.0.0.1:8085.
 *   Requests to /api/* on the web are forwarded there. It is read when the first API request arrives,
 *   not at build time, so one build can run against any API.
 * - MESHVIZ_WEB_ALLOWED_HOSTS (optional): a regular expression every request's Host header must match (pages,
 *   /api/*, the tap and top streams, static files); any other Host gets 400, which stops DNS rebinding. Default:
 *   loopback (localhost, 127.0.0.1, [::1]) and the dashboard's in-cluster names web.<namespace>.svc and
 *   web.<namespace>.svc.cluster.local, each with any port or none. Set it when the dashboard is reached under
 *   another name, e.g. ^(localhost|meshviz\.example\.com)(:\d+)?$ (anchored with ^ and $: it is used as written).
 * - MESHVIZ_WEB_NAMESPACE (optional, default meshviz-viz): the namespace in those default in-cluster names.
 *
 * The last two are read when the first request of any kind arrives; a bad value then answers every request 500.
 * Surrounding blanks do not count, and a blank variable is unset. Errors read as every meshviz process's do
 * (the runtime kit's parseEnv): `VARIABLE: what is wrong (got "value")`.
 */
const WebEnv = z.object({
  MESHVIZ_API_URL: trimmedVariable(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:8085' }).optional()),
} satisfies Partial<Record<WebEnvName, z.ZodType>>);

export interface WebConfig {
  /** Base URL of the meshviz API, without a trailing slash. */
  apiBaseUrl: URL;
}

/** Parses an environment; throws a ConfigError naming the bad variable. */
export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  const url = parseEnv(WebEnv, env).MESHVIZ_API_URL;
  if (url === undefined) {
    throw new ConfigError('MESHVIZ_API_URL', 'MESHVIZ_API_URL: is required: the base URL of the meshviz API, e.g. MESHVIZ_API_URL=http://127.0.0.1:8085');
  }
  const apiBaseUrl = new URL(url);
  apiBaseUrl.pathname = apiBaseUrl.pathname.replace(/\/+$/, '');
  apiBaseUrl.search = '';
  apiBaseUrl.hash = '';
  return { apiBaseUrl };
}

let cached: WebConfig | undefined;

/** The process's configuration, parsed once on first use (at request time, never during the build). */
export function webConfig(): WebConfig {
  cached ??= parseWebConfig(process.env);
  return cached;
}

const HostEnv = z.object({
  MESHVIZ_WEB_ALLOWED_HOSTS: trimmedVariable(hostAllowListVariable.optional()),
  MESHVIZ_WEB_NAMESPACE: trimmedVariable(
    z.string().regex(DNS1123_LABEL, 'must be a namespace name (a DNS-1123 label) such as meshviz-viz').default('meshviz-viz'),
  ),
} satisfies Partial<Record<WebEnvName, z.ZodType>>);

export interface HostGuardConfig {
  /** The Host headers this server answers. */
  allowedHosts: RegExp;
}

/** The dashboard's default Host allow-list: loopback and its service names in `namespace`, any port. */
export function defaultAllowedHosts(namespace: string): string {
  return hostAllowListPattern([`web\\.${namespace}\\.svc(\\.cluster\\.local)?`]);
}

/** Parses the Host allow-list's variables; throws a ConfigError naming the bad one. */
export function parseHostGuardConfig(env: Record<string, string | undefined>): HostGuardConfig {
  const { MESHVIZ_WEB_ALLOWED_HOSTS: pattern, MESHVIZ_WEB_NAMESPACE: namespace } = parseEnv(HostEnv, env);
  return { allowedHosts: new RegExp(pattern ?? defaultAllowedHosts(namespace)) };
}

let cachedHostGuard: HostGuardConfig | undefined;

/** The process's Host allow-list, parsed once on first use (apart from MESHVIZ_API_URL, which pages do not need). */
export function hostGuardConfig(): HostGuardConfig {
  cachedHostGuard ??= parseHostGuardConfig(process.env);
  return cachedHostGuard;
}
