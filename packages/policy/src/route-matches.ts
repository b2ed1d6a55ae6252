import type { CompiledMatch } from '@meshviz/mesh-types';
import { compareNames } from './coverage.js';
import type { GRPCRoute, GRPCRouteMatch, HeaderMatch, HTTPRoute, HTTPRouteMatch } from './resources.js';

/** One match of one rule of a route, compiled, with what its place in the order depends on. */
export interface RouteMatch {
  readonly route: HTTPRoute | GRPCRoute;
  readonly rule: number;
  readonly index: number;
  readonly match: CompiledMatch;
}

/** Header names are compared in lower case: HTTP names are case-insensitive and Node hands them over lower-cased. */
function headers(list: readonly HeaderMatch[] | undefined): CompiledMatch['headers'] {
  return (list ?? []).map((h) => ({ name: h.name.toLowerCase(), type: h.type, value: h.value }));
}

function httpMatch(m: HTTPRouteMatch): CompiledMatch {
  const match: CompiledMatch = { path: { type: m.path.type, value: m.path.value }, headers: headers(m.headers) };
  if (m.method !== undefined) match.method = m.method;
  return match;
}

/**
 * gRPC calls are POSTs to `/<service>/<method>`. `grpc` is always set on a GRPCRoute's matches (empty when the
 * match names no method), so such a match only takes requests whose path has that form.
 */
function grpcMatch(m: GRPCRouteMatch | undefined): CompiledMatch {
  const grpc: NonNullable<CompiledMatch['grpc']> = {};
  if (m?.method?.service !== undefined) grpc.service = m.method.service;
  if (m?.method?.method !== undefined) grpc.method = m.method.method;
  return { method: 'POST', headers: headers(m?.headers), grpc };
}

export function routeMatches(route: HTTPRoute | GRPCRoute): RouteMatch[] {
  if (route.kind === 'HTTPRoute') {
    return route.spec.rules.flatMap((rule, r) => rule.matches.map((m, i) => ({ route, rule: r, index: i, match: httpMatch(m) })));
  }
  return route.spec.rules.flatMap((rule, r) =>
    rule.matches.length === 0
      ? [{ route, rule: r, index: 0, match: grpcMatch(undefined) }]
      : rule.matches.map((m, i) => ({ route, rule: r, index: i, match: grpcMatch(m) })),
  );
}

const PATH_RANK = { Exact: 0, RegularExpression: 1, PathPrefix: 2 } as const;

/** Negative when `a` is the more specific match, Gateway API style. */
function specificity(a: CompiledMatch, b: CompiledMatch): number {
  if (a.grpc && b.grpc) {
    return (
      (b.grpc.service?.length ?? 0) - (a.grpc.service?.length ?? 0) ||
      (b.grpc.method?.length ?? 0) - (a.grpc.method?.length ?? 0) ||
      b.headers.length - a.headers.length
    );
  }
  // gRPC matches come before HTTP ones: they only take gRPC calls, which an HTTP catch-all would take too.
  if (a.grpc || b.grpc) return a.grpc ? -1 : 1;
  const pa = a.path ?? { type: 'PathPrefix', value: '/' };
  const pb = b.path ?? { type: 'PathPrefix', value: '/' };
  return (
    PATH_RANK[pa.type] - PATH_RANK[pb.type] ||
    pb.value.length - pa.value.length ||
    Number(b.method !== undefined) - Number(a.method !== undefined) ||
    b.headers.length - a.headers.length
  );
}

/**
 * All matches of a Server's routes in the order the proxy tries them (first match wins): the most specific first
 * — for HTTP an Exact path, then a regular expression, then the longest prefix, then a method, then more headers;
 * for gRPC the longer service, then the longer method, then more headers — and, among equals, by route name, then
 * rule and match order.
 */
export function orderRouteMatches(matches: readonly RouteMatch[]): RouteMatch[] {
  return [...matches].sort(
    (a, b) =>
      specificity(a.match, b.match) ||
      compareNames(a.route.metadata.name, b.route.metadata.name) ||
      compareNames(a.route.kind, b.route.kind) ||
      a.rule - b.rule ||
      a.index - b.index,
  );
}
