import type { z } from 'zod';
import { apiErrors } from '../errors.js';

/** Validates a query string with a contract schema (strict: unknown parameters are refused); the first bad one is named. */
export function parseQuery<T extends z.ZodObject>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.strict().safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') throw apiErrors.badParam(issue.keys[0] ?? '?', 'unknown parameter');
    const param = String(issue?.path[0] ?? 'query');
    throw apiErrors.badParam(param, issue?.message ?? 'invalid');
  }
  return parsed.data as z.output<T>;
}
