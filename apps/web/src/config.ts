import 'server-only';
import { z } from 'zod';

/**
 * The web's runtime configuration. Every variable is documented here and nothing else reads process.env.
 *
 * - MESHVIZ_API_URL (required at runtime): base URL of the meshviz public API, e.g. http://127.0.0.1:8085.
 *   Requests to /api/* on the web are forwarded there. It is read when the first API request arrives,
 *   not at build time, so one build can run against any API.
 */
const WebEnv = z.object({
  MESHVIZ_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:8085' })
    .optional(),
});

export interface WebConfig {
  /** Base URL of the meshviz API, without a trailing slash. */
  apiBaseUrl: URL;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid web configuration: ${variable} ${detail}`);
  }
}

/** Parses an environment; throws a ConfigError naming the bad variable. */
export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  const raw = env.MESHVIZ_API_URL?.trim() || undefined;
  const result = WebEnv.safeParse({ MESHVIZ_API_URL: raw });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'MESHVIZ_API_URL'), issue?.message ?? 'is invalid');
  }
  const url = result.data.MESHVIZ_API_URL;
  if (url === undefined) {
    throw new ConfigError(
      'MESHVIZ_API_URL',
      'is not set: it must be the base URL of the meshviz API, e.g. MESHVIZ_API_URL=http://127.0.0.1:8085',
    );
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
