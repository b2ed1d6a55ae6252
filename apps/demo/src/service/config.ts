import { RouteBehaviour } from '@meshviz/mesh-types';
import { hostPortVariable, jsonVariable, parseEnv } from '@meshviz/runtime';
import { z } from 'zod';
import type { DemoServiceEnvName } from '../env.js';

/**
 * The demo service's whole configuration, one environment variable each:
 *
 * - DEMO_SERVICE_LISTEN_ADDR    host:port to serve on (the inbound proxy forwards here); port 0 picks a free port
 * - DEMO_SERVICE_OUTBOUND_ADDR  host:port of this replica's outbound proxy; every downstream call goes there
 * - DEMO_SERVICE_NAMESPACE      namespace of this workload, e.g. `bookshop`
 * - DEMO_SERVICE_NAME           workload (deployment) name, e.g. `catalog`
 * - DEMO_SERVICE_POD            this replica's pod name, e.g. `catalog-0`
 * - DEMO_SERVICE_ROUTES         JSON array of RouteBehaviour (packages/mesh-types), at least one
 * - DEMO_PARENT_PID             optional; exit once that process is gone (checked every second)
 */
const ServiceEnv = z.object({
  DEMO_SERVICE_LISTEN_ADDR: hostPortVariable({ allowZero: true }),
  DEMO_SERVICE_OUTBOUND_ADDR: hostPortVariable({ allowZero: false }),
  DEMO_SERVICE_NAMESPACE: z.string().min(1),
  DEMO_SERVICE_NAME: z.string().min(1),
  DEMO_SERVICE_POD: z.string().min(1),
  DEMO_SERVICE_ROUTES: jsonVariable(z.array(RouteBehaviour).min(1)),
  DEMO_PARENT_PID: z.coerce.number().int().positive().optional(),
} satisfies Record<DemoServiceEnvName, z.ZodType>);

export interface ServiceConfig {
  listen: { host: string; port: number };
  outbound: { host: string; port: number };
  namespace: string;
  name: string;
  pod: string;
  routes: RouteBehaviour[];
  parentPid: number | undefined;
}

/** Throws ConfigError naming the first bad variable. `env`: this process' own unless a test passes one. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = parseEnv(ServiceEnv, env);
  return {
    listen: parsed.DEMO_SERVICE_LISTEN_ADDR,
    outbound: parsed.DEMO_SERVICE_OUTBOUND_ADDR,
    namespace: parsed.DEMO_SERVICE_NAMESPACE,
    name: parsed.DEMO_SERVICE_NAME,
    pod: parsed.DEMO_SERVICE_POD,
    routes: parsed.DEMO_SERVICE_ROUTES,
    parentPid: parsed.DEMO_PARENT_PID,
  };
}
