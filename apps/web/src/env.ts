/**
 * The dashboard's variables by name: config.ts reads exactly these (its schemas are checked against them), and
 * `meshviz up` builds the dashboard's environment from them, so a renamed variable is a type error where it is set.
 * This module imports nothing and is compiled on its own (`@meshviz/web/env`, tsconfig.env.json), so a launcher
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

export type WebEnvName = (typeof WEB_ENV)[keyof typeof WEB_ENV];
export type NextEnvName = (typeof NEXT_ENV)[keyof typeof NEXT_ENV];

/** What a launcher hands the dashboard: its own variables and Next.js' ones. */
export type WebEnv = Partial<Record<WebEnvName | NextEnvName, string>>;
