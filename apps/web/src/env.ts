import type { EnvName, EnvValues } from '@meshviz/runtime/env';

/**
 * The dashboard's variables by name: config.ts reads exactly these (its schemas are checked against them), and
 * `meshviz up` builds the dashboard's environment from them, so a renamed variable is a type error where it is set.
 * This module imports nothing at run time and is compiled on its own (`@meshviz/web/env`, tsconfig.env.json), so a launcher
 * takes it without Next.js. What each one means: config.ts.
 */
export const WEB_ENV = {
  apiUrl: 'MESHVIZ_API_URL',
  allowedHosts: 'MESHVIZ_WEB_ALLOWED_HOSTS',
  namespace: 'MESHVIZ_WEB_NAMESPACE',
} as const;

/** Variables Next.js itself reads that a launcher of `next start` sets. */
export const NEXT_ENV = {
  nodeEnv: 'NODE_ENV',
  telemetryDisabled: 'NEXT_TELEMETRY_DISABLED',
} as const;

export type WebEnvName = EnvName<typeof WEB_ENV>;

/** What a launcher hands the dashboard: its own variables and Next.js' ones. */
export type WebEnv = EnvValues<typeof WEB_ENV & typeof NEXT_ENV>;
