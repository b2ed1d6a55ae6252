import { z } from 'zod';

/** A configuration error that names the environment variable at fault, so a launcher's log points at the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** The first bad variable; `message` lists every problem found. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/** A variable holding JSON, checked against `schema`; issue paths continue into the JSON (`VAR[0].path`). */
export function jsonVariable<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `must be JSON (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/**
 * Parses the environment once against an object schema whose keys are variable names: the API, the CLI, the demo
 * services, the load generator and the benchmarks read their variables through this, so their errors read alike:
 * `VAR: what is wrong (got "value")`, every problem listed, the first bad variable named on the error. (The proxy
 * and the dashboard still have parsers of their own, apps/proxy/src/config.ts and apps/web/src/config.ts.)
 */
export function parseEnv<T extends z.ZodObject>(schema: T, env: Readonly<Record<string, string | undefined>>): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const [variable = '(environment)', ...rest] = issue.path.map(String);
    const where = rest.map((key) => (/^\d+$/.test(key) ? `[${key}]` : `.${key}`)).join('');
    const value = env[variable];
    const missing = issue.code === 'invalid_type' && value === undefined;
    const got = value !== undefined && rest.length === 0 ? ` (got ${JSON.stringify(value)})` : '';
    return { variable, text: `${variable}${where}: ${missing ? 'is required' : issue.message}${got}` };
  });
  throw new ConfigError(problems[0]!.variable, problems.map((problem) => problem.text).join('; '));
}
