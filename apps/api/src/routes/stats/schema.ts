import { StatsQuery } from '@meshviz/mesh-types';
import { apiErrors } from '../../errors.js';

/** Validates the query string with the contract's schema; the first bad parameter is named in a 400. */
export function parseStatsQuery(query: unknown): StatsQuery {
  const parsed = StatsQuery.strict().safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') throw apiErrors.badParam(issue.keys[0] ?? '?', 'unknown parameter');
    const param = String(issue?.path[0] ?? 'query');
    throw apiErrors.badParam(param, issue?.message ?? 'invalid');
  }
  return parsed.data;
}
