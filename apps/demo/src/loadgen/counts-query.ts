export type CountsQuery = { ok: true; from?: number; to?: number } | { ok: false; param: string; message: string };

const UNIX_SECONDS = /^\d{1,12}$/;

/** Reads `from` and `to` (unix seconds, inclusive / exclusive) from a /counts query string. */
export function parseCountsQuery(params: URLSearchParams): CountsQuery {
  const range: { from?: number; to?: number } = {};
  for (const param of ['from', 'to'] as const) {
    const values = params.getAll(param);
    if (values.length === 0) continue;
    if (values.length > 1) return { ok: false, param, message: `${param} may be given once` };
    const value = values[0]!;
    if (!UNIX_SECONDS.test(value)) {
      return { ok: false, param, message: `${param} must be whole unix seconds, got "${value}"` };
    }
    range[param] = Number(value);
  }
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    return { ok: false, param: 'from', message: `from (${range.from}) must not be after to (${range.to})` };
  }
  return { ok: true, ...range };
}
