import type { EnvName, EnvValues } from '@meshviz/runtime/env';

/**
 * The demo programs' variables by name: service/config.ts and loadgen/config.ts read exactly these (their schemas
 * are checked against them), and `meshviz up` builds each replica's environment from them, so a renamed variable
 * is a type error where it is set. This module imports nothing at run time (`@meshviz/demo/env`).
 */
export const DEMO_SERVICE_ENV = {
  listenAddr: 'DEMO_SERVICE_LISTEN_ADDR',
  outboundAddr: 'DEMO_SERVICE_OUTBOUND_ADDR',
  namespace: 'DEMO_SERVICE_NAMESPACE',
  name: 'DEMO_SERVICE_NAME',
  pod: 'DEMO_SERVICE_POD',
  routes: 'DEMO_SERVICE_ROUTES',
  parentPid: 'DEMO_PARENT_PID',
} as const;

export const LOADGEN_ENV = {
  config: 'LOADGEN_CONFIG',
  outboundAddr: 'LOADGEN_OUTBOUND_ADDR',
  adminAddr: 'LOADGEN_ADMIN_ADDR',
  parentPid: 'LOADGEN_PARENT_PID',
} as const;

export type DemoServiceEnvName = EnvName<typeof DEMO_SERVICE_ENV>;
export type LoadgenEnvName = EnvName<typeof LOADGEN_ENV>;
/** What a launcher hands the demo service. */
export type DemoServiceEnv = EnvValues<typeof DEMO_SERVICE_ENV>;
/** What a launcher hands the load generator. */
export type LoadgenEnv = EnvValues<typeof LOADGEN_ENV>;
