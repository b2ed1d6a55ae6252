import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import { startStoreServer } from './store-server.js';

/** Queries are recorded under their PromQL; other endpoints (targets, status/config, buildinfo) under their path. */
export function fixtureKey(pathname: string, params: URLSearchParams): string {
  return pathname === '/api/v1/query' || pathname === '/api/v1/query_range' ? (params.get('query') ?? '') : pathname;
}

export interface RecordedOptions {
  /** Paths this store does not serve (answered 404 as plain text, as Thanos or a proxy would), e.g. status/config. */
  missing?: string[];
  /**
   * Answers a query the recording lacks, from the recorded answers (e.g. derived-answer.ts); undefined when it
   * cannot, and the query gets Prometheus' 400 like any other unrecorded one.
   */
  fallback?: (recorded: Readonly<Record<string, unknown>>, query: string) => unknown;
}

/**
 * A Prometheus HTTP API that answers from responses recorded off a real Prometheus (see record-fixtures.ts), keyed
 * by the exact query string. An unrecorded query (that `options.fallback` does not answer either) gets Prometheus'
 * own 400 error shape, so a changed query fails.
 * It keeps every request's headers too, to check what the API sends.
 */
export async function recordedPrometheus(fixture: URL, options: RecordedOptions = {}) {
  const recorded = JSON.parse(await readFile(fixture, 'utf8')) as Record<string, unknown>;
  const queries: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = await startStoreServer(({ path, params, headers: h }) => {
    const query = fixtureKey(path, params);
    queries.push(query);
    headers.push(h);
    if (options.missing?.includes(path)) return { status: 404, body: '404 page not found\n', contentType: 'text/plain' };
    const answer = recorded[query] ?? options.fallback?.(recorded, query);
    if (answer === undefined) {
      return { status: 400, body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: `unrecorded query: ${query}` }) };
    }
    return { status: 200, body: JSON.stringify(answer) };
  });
  return {
    url: server.url,
    /** The recorded answers, by fixture key. */
    recorded,
    queries,
    headers,
    /** PromQL queries received (other requests, such as targets or status/config, are paths starting with "/"). */
    promql: () => queries.filter((q) => !q.startsWith('/')),
    close: server.close,
  };
}
