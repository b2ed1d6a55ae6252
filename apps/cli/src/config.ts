import os from 'node:os';
import path from 'node:path';
import { parseEnv as parseEnvWith } from '@meshviz/runtime';
import { z } from 'zod';

/** A variable set to the empty string counts as unset. */
const optional = () =>
  z
    .string()
    .optional()
    .transform((v) => v || undefined);

/**
 * Environment the CLI reads (once, here: main.ts hands the parsed variables to each command):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | MESHVIZ_PORT | 8084 | dashboard port of `meshviz up` (`--port` wins; 0 = any free port) |
 * | MESHVIZ_HOST | 127.0.0.1 | dashboard bind address of `meshviz up` (`--host` wins) |
 * | PROMETHEUS_BIN | `prometheus` on PATH | the Prometheus binary `meshviz up` runs |
 * | MESHVIZ_API_URL | the running `meshviz up`, else http://127.0.0.1:8084 | meshviz API or dashboard URL of `stat`, `routes`, `edges`, `check`, `tap`, `top` and `rollout start` (`--api` wins) |
 * | MESHVIZ_TAP_TOKEN | the running `meshviz up`'s | tap token of `tap` and `top` (`--token` wins) |
 * | MESHVIZ_HOME | ~/.meshviz | meshviz's own files; `identity init` writes the trust files to its `identity/` |
 *
 * Child processes inherit the CLI's environment through `childEnv`.
 */
const Env = z.object({
  MESHVIZ_PORT: z.coerce.number().int().min(0).max(65535).default(8084),
  MESHVIZ_HOST: z.string().min(1).default('127.0.0.1'),
  PROMETHEUS_BIN: optional(),
  MESHVIZ_API_URL: optional().pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:8084' }).optional()),
  MESHVIZ_TAP_TOKEN: z.string().optional(),
  MESHVIZ_HOME: optional(),
});
export type CliEnv = z.infer<typeof Env>;

export const parseEnv = (env: NodeJS.ProcessEnv): CliEnv => parseEnvWith(Env, env);

/** meshviz's own directory: MESHVIZ_HOME (relative to the working directory if relative), else ~/.meshviz. */
export const meshvizHome = (env: Pick<CliEnv, 'MESHVIZ_HOME'>): string =>
  env.MESHVIZ_HOME ? path.resolve(env.MESHVIZ_HOME) : path.join(os.homedir(), '.meshviz');

/** The CLI's environment, parsed from this process' own. */
export const loadEnv = (): CliEnv => parseEnv(process.env);

/** The environment a child process starts with: this process' own, with `overrides` on top. */
export const childEnv = (overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, ...overrides });

/** The folders a program name is looked up in (PATH), for the children meshviz starts. */
export const programPath = (): string => process.env.PATH ?? '';
