import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENDPOINTS, STREAMS } from '@meshviz/api-client';
import type { AppConfig } from '../../../apps/api/src/app.js';

/** The tap token the fuzzed API is configured with; tap parameters are checked after the permission. */
export const TAP_TOKEN = 'hardening-tap-token-0123456789';

/** A valid value for each required parameter, so that the one parameter fuzzed is the only one wrong. */
const REQUIRED: Record<string, string> = { namespace: 'bookshop', name: 'web', workload: 'web' };
/** Parameters each optional alone but one of which an endpoint needs (routes: workload or service). */
const ONE_OF: Record<string, Record<string, string>> = { routes: { workload: 'web' } };

export interface ApiTarget {
  readonly endpoint: string;
  /** Path with its `{param}` segments filled with valid values. */
  readonly path: (params?: Record<string, string>) => string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** A valid query: the required parameters only. */
  readonly base: Record<string, string>;
  readonly stream: boolean;
}

/** Every route of the API contract (JSON endpoints and event streams) with its path and query parameters. */
export function apiTargets(): ApiTarget[] {
  const all = [
    ...Object.entries(ENDPOINTS).map(([name, e]) => ({ name, e, stream: false })),
    ...Object.entries(STREAMS).map(([name, e]) => ({ name, e, stream: true })),
  ];
  return all.map(({ name, e, stream }) => {
    const pathParams = 'params' in e && e.params ? Object.keys(e.params.shape) : [];
    const query = 'query' in e && e.query ? e.query : undefined;
    const queryParams = query ? Object.keys(query.shape) : [];
    const base: Record<string, string> = {};
    for (const key of queryParams) {
      const shape = query?.shape as Record<string, { safeParse(v: unknown): { success: boolean } }> | undefined;
      if (shape?.[key]?.safeParse(undefined).success === false) base[key] = REQUIRED[key] ?? '';
    }
    Object.assign(base, ONE_OF[name]);
    return {
      endpoint: name,
      path: (params: Record<string, string> = {}) =>
        e.path.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(params[p] ?? REQUIRED[p] ?? 'x')),
      pathParams,
      queryParams,
      base,
      stream,
    };
  });
}

/** Tap with a targets file that lists no proxy: a valid query ends in 404 (no proxy to tap), never a held stream. */
export function tapConfig(): { tap: NonNullable<AppConfig['tap']>; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-hardening-api-'));
  const targetsFile = path.join(dir, 'tap-targets.json');
  writeFileSync(targetsFile, JSON.stringify({ targets: [] }));
  return {
    tap: { clientToken: TAP_TOKEN, proxyToken: 'proxy-token', targetsFile, port: 4190 },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
