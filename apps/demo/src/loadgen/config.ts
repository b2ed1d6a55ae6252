import { Load } from '@meshviz/mesh-types';
import { type HostPort, hostPortVariable, jsonVariable, parseEnv } from '@meshviz/runtime';
import { z } from 'zod';
import type { LoadgenEnvName } from '../env.js';
import { targetKey } from './target-key.js';

/**
 * The load generator's whole configuration, one environment variable each:
 *
 * - LOADGEN_CONFIG         JSON of Load (packages/mesh-types): rate per second and weighted targets
 * - LOADGEN_OUTBOUND_ADDR  host:port of the load generator's own outbound proxy (it is a meshed client)
 * - LOADGEN_ADMIN_ADDR     host:port for the admin server (/counts, /healthz); port 0 picks a free port
 * - LOADGEN_PARENT_PID     optional; exit once that process is gone (checked every second)
 */
const UniqueTargetsLoad = Load.superRefine((load, ctx) => {
  const seen = new Set<string>();
  load.targets.forEach((target, index) => {
    const key = targetKey(target);
    // Counts are reported per (service, method, path); a duplicate would be two entries nobody can tell apart.
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['targets', index], message: `duplicate target ${key}` });
    seen.add(key);
  });
});

const LoadgenEnv = z.object({
  LOADGEN_CONFIG: jsonVariable(UniqueTargetsLoad),
  LOADGEN_OUTBOUND_ADDR: hostPortVariable({ allowZero: false }),
  LOADGEN_ADMIN_ADDR: hostPortVariable({ allowZero: true }),
  LOADGEN_PARENT_PID: z.coerce.number().int().positive().optional(),
} satisfies Record<LoadgenEnvName, z.ZodType>);

export interface LoadgenConfig {
  load: Load;
  outbound: HostPort;
  admin: HostPort;
  parentPid: number | undefined;
}

/** Throws ConfigError naming the first bad variable. `env`: this process' own unless a test passes one. */
export function loadLoadgenConfig(env: NodeJS.ProcessEnv = process.env): LoadgenConfig {
  const parsed = parseEnv(LoadgenEnv, env);
  return {
    load: parsed.LOADGEN_CONFIG,
    outbound: parsed.LOADGEN_OUTBOUND_ADDR,
    admin: parsed.LOADGEN_ADMIN_ADDR,
    parentPid: parsed.LOADGEN_PARENT_PID,
  };
}
