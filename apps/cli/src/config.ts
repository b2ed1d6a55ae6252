import { z } from 'zod';

/**
 * Environment the CLI reads (once, here):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | MESHVIZ_PORT | 8084 | dashboard port of `meshviz up` (0 = any free port); `--port` wins |
 * | MESHVIZ_HOST | 127.0.0.1 | address the dashboard binds; `--host` wins |
 * | PROMETHEUS_BIN | `prometheus` on PATH | the Prometheus binary `meshviz up` runs |
 */
const Env = z.object({
  MESHVIZ_PORT: z.coerce.number().int().min(0).max(65535).default(8084),
  MESHVIZ_HOST: z.string().min(1).default('127.0.0.1'),
  PROMETHEUS_BIN: z
    .string()
    .optional()
    .transform((v) => v || undefined),
});
export type CliEnv = z.infer<typeof Env>;

export function parseEnv(env: NodeJS.ProcessEnv): CliEnv {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new Error(`${name}: ${issue?.message ?? 'invalid'} (got ${JSON.stringify(env[name] ?? null)})`);
  }
  return parsed.data;
}
