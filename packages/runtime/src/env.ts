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
 * A variable whose surrounding blanks do not count, and which is unset when nothing else is left: `schema` sees the
 * trimmed value, or undefined (so its `.optional()` or `.default()` applies).
 */
export function trimmedVariable<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? value.trim() || undefined : value), schema);
}

export interface ParseEnvOptions {
  /** A variable set to "" counts as unset (a blank line in an env file should not break startup). */
  readonly emptyIsUnset?: boolean;
}

/**
 * Parses the environment once against an object schema whose keys are variable names. Every meshviz process reads
 * its variables through this, so their errors read alike: `VAR: what is wrong (got "value")`, every problem listed,
 * the first bad variable named on the error.
 */
export function parseEnv<T extends z.ZodObject>(
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
  options: ParseEnvOptions = {},
): z.output<T> {
  const input = options.emptyIsUnset ? Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')) : env;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const [variable = '(environment)', ...rest] = issue.path.map(String);
    const where = rest.map((key) => (/^\d+$/.test(key) ? `[${key}]` : `.${key}`)).join('');
    const value = input[variable];
    const missing = issue.code === 'invalid_type' && value === undefined;
    const got = value !== undefined && rest.length === 0 ? ` (got ${JSON.stringify(value)})` : '';
    return { variable, text: `${variable}${where}: ${missing ? 'is required' : issue.message}${got}` };
  });
  throw new ConfigError(problems[0]!.variable, problems.map((problem) => problem.text).join('; '));
}


/** The variable names in an app's names object (`PROXY_ENV`: property → variable name). */
export type EnvName<Names extends Readonly<Record<string, string>>> = Names[keyof Names];

/** Some of an app's variables with their values: what a launcher hands the app. */
export type EnvValues<Names extends Readonly<Record<string, string>>> = Partial<Record<EnvName<Names>, string>>;
