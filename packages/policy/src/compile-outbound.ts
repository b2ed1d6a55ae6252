import {
  type CompiledMatch,
  type DestinationsFile,
  type FailureAccrual,
  type FaultInjection,
  NO_FAILURE_ACCRUAL,
  OUTBOUND_DEFAULTS,
  type OutboundBackend,
  type OutboundRoute,
  type RetryPolicy,
  type RouteTimeouts,
  type ServiceDestination,
} from '@meshviz/mesh-types';
import { indexResources, PolicyCompileError } from './authorizations.js';
import { parseGatewayDuration, timeoutMs } from './durations.js';
import { type AnnotationTarget, hasOutboundAnnotations, type OutboundSettings, readOutboundAnnotations } from './outbound-annotations.js';
import type { GRPCRoute, HTTPRoute, PolicyResource } from './resources.js';
import { routeDirection } from './resources.js';
import { orderRouteMatches, routeMatches } from './route-matches.js';
import { authorityPort, parentCovers, resolveBackend } from './service-discovery.js';

/**
 * Compiles the outbound resources — HTTPRoutes and GRPCRoutes attached to Services, and Services' annotations —
 * into the discovery table: a copy of `base` in which every service with routes or outbound annotations carries
 * `outbound` (its routes in Gateway API precedence, each with backends, timeouts, retry policy and faults, and its
 * endpoints' failure accrual). Services with neither carry no `outbound` (an `outbound` already in `base` is
 * replaced), so their callers' proxies behave as without a destination service.
 *
 * Resources should come from the loader given the same table; a backend the table lacks or an annotation that
 * does not parse throws PolicyCompileError.
 */
export function compileOutbound(resources: readonly PolicyResource[], base: DestinationsFile): DestinationsFile {
  const index = indexResources(resources);
  const routes = [...index.httpRoutes, ...index.grpcRoutes].filter((r) => routeDirection(r) === 'outbound');
  const serviceDocs = new Map(index.services.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]));
  const services: Record<string, ServiceDestination> = {};
  for (const [authority, destination] of Object.entries(base.services)) {
    const { outbound: _replaced, ...entry } = destination;
    const { namespace, service } = destination;
    const annotations = serviceDocs.get(`${namespace}/${service}`)?.metadata.annotations;
    const here = { authority, port: authorityPort(authority), destination };
    const attached = routes.filter(
      (r) => r.metadata.namespace === namespace && r.spec.parentRefs.some((p) => p.name === service && parentCovers(p.port, here)),
    );
    if (attached.length === 0 && !hasOutboundAnnotations(annotations)) {
      services[authority] = entry;
      continue;
    }
    const defaults = settings(annotations, 'service', `Service ${namespace}/${service}`);
    const compiled =
      attached.length > 0 ? attachedRoutes(attached, authority, defaults, base) : [...tableRoutes(destination, authority, defaults), defaultRoute(authority, defaults)];
    services[authority] = { ...entry, outbound: { routes: compiled, accrual: accrual(defaults) } };
  }
  return { services };
}

function settings(annotations: Record<string, string> | undefined, target: AnnotationTarget, label: string): OutboundSettings {
  const read = readOutboundAnnotations(annotations, target);
  const [first] = read.issues;
  if (first) throw new PolicyCompileError(`${label}: metadata.annotations.${first.key}: ${first.message}`);
  return read.settings;
}

/** The first value that is set: a number, or null for "none" (which still wins over what comes after it). */
const firstSet = (...values: (number | null | undefined)[]): number | null => values.find((v) => v !== undefined) ?? null;

function retry(s: OutboundSettings): RetryPolicy | null {
  if (s.retryHttp === undefined && s.retryGrpc === undefined) return null;
  return {
    limit: s.retryLimit ?? OUTBOUND_DEFAULTS.retryLimit,
    httpStatuses: s.retryHttp ?? [],
    grpcCodes: s.retryGrpc ?? [],
    perAttemptTimeoutMs: s.retryTimeoutMs ?? null,
  };
}

function fault(s: OutboundSettings): FaultInjection | null {
  if (s.faultAbort === undefined && s.faultDelay === undefined) return null;
  return { abort: s.faultAbort ?? null, delay: s.faultDelay ?? null };
}

function accrual(s: OutboundSettings): FailureAccrual {
  if (s.accrual !== 'consecutive') return { ...NO_FAILURE_ACCRUAL };
  return {
    kind: 'consecutive',
    maxFailures: s.accrualMaxFailures ?? OUTBOUND_DEFAULTS.accrualMaxFailures,
    minPenaltyMs: s.accrualMinPenaltyMs ?? OUTBOUND_DEFAULTS.accrualMinPenaltyMs,
    maxPenaltyMs: s.accrualMaxPenaltyMs ?? OUTBOUND_DEFAULTS.accrualMaxPenaltyMs,
    jitter: s.accrualJitter ?? OUTBOUND_DEFAULTS.accrualJitter,
  };
}

/**
 * A Service with annotations and no Gateway API routes keeps the routes its discovery entry names (the local
 * runtime's route table, `GET /books`…), so its callers' route metrics keep their names; each takes the Service's
 * settings and goes to the Service itself. The default route after them catches the rest.
 */
function tableRoutes(destination: ServiceDestination, authority: string, s: OutboundSettings): OutboundRoute[] {
  return (destination.routes ?? []).map((spec) => {
    const path =
      spec.path !== undefined
        ? { type: 'Exact' as const, value: spec.path }
        : spec.pathPrefix !== undefined
          ? { type: 'PathPrefix' as const, value: spec.pathPrefix }
          : spec.pathRegex !== undefined
            ? { type: 'RegularExpression' as const, value: spec.pathRegex }
            : undefined;
    return {
      ...defaultRoute(authority, s),
      name: spec.name,
      matches: [{ ...(path ? { path } : {}), ...(spec.method ? { method: spec.method } : {}), headers: [] }],
    };
  });
}

/** A Service with annotations and no routes: one route for everything, to the Service itself. */
function defaultRoute(authority: string, s: OutboundSettings): OutboundRoute {
  return {
    kind: 'default',
    name: 'default',
    matches: [{ headers: [] }],
    backends: [{ authority, weight: 1 }],
    timeouts: { requestMs: s.requestMs ?? null, responseMs: s.responseMs ?? null, idleMs: s.idleMs ?? null },
    retry: retry(s),
    fault: fault(s),
  };
}

const fieldMs = (text: string | undefined): number | null | undefined =>
  text === undefined ? undefined : timeoutMs(parseGatewayDuration(text) ?? 0);

/**
 * The routes attached to one table entry, in the order the proxy tries their matches (the inbound routes' order).
 * Consecutive matches of one rule share a compiled route; a rule whose matches fall between another's appears more
 * than once, under the same kind and name. Rules differ in backends and timeouts, so each gets its own entries.
 */
function attachedRoutes(
  attached: readonly (HTTPRoute | GRPCRoute)[],
  authority: string,
  defaults: OutboundSettings,
  base: DestinationsFile,
): OutboundRoute[] {
  const compiled: OutboundRoute[] = [];
  let previous: { route: HTTPRoute | GRPCRoute; rule: number } | undefined;
  for (const m of orderRouteMatches(attached.flatMap(routeMatches))) {
    const last = compiled.at(-1);
    if (last && previous?.route === m.route && previous.rule === m.rule) {
      last.matches.push(m.match);
      continue;
    }
    previous = { route: m.route, rule: m.rule };
    compiled.push(ruleRoute(m.route, m.rule, [m.match], authority, defaults, base));
  }
  return compiled;
}

function ruleRoute(
  route: HTTPRoute | GRPCRoute,
  ruleIndex: number,
  matches: CompiledMatch[],
  authority: string,
  defaults: OutboundSettings,
  base: DestinationsFile,
): OutboundRoute {
  const label = `${route.kind} ${route.metadata.namespace}/${route.metadata.name}`;
  const own = settings(route.metadata.annotations, 'route', label);
  const merged: OutboundSettings = { ...defaults, ...own };
  const rule = route.spec.rules[ruleIndex]!;
  const field = route.kind === 'HTTPRoute' ? route.spec.rules[ruleIndex]!.timeouts : undefined;
  // Linkerd's rule: the route's annotation, then the HTTPRoute's own field, then the Service's annotation.
  const timeouts: RouteTimeouts = {
    requestMs: firstSet(own.requestMs, fieldMs(field?.request), defaults.requestMs),
    responseMs: firstSet(own.responseMs, fieldMs(field?.backendRequest), defaults.responseMs),
    idleMs: firstSet(own.idleMs, defaults.idleMs),
  };
  const refs = rule.backendRefs ?? [];
  const backends: OutboundBackend[] =
    refs.length === 0
      ? [{ authority, weight: 1 }]
      : refs.map((ref, j) => {
          const resolved = resolveBackend(base, route.metadata.namespace, ref.name, ref.port);
          if ('problem' in resolved) throw new PolicyCompileError(`${label}: spec.rules.${ruleIndex}.backendRefs.${j}.${resolved.field}: ${resolved.problem}`);
          return { authority: resolved.authority, weight: ref.weight };
        });
  return { kind: route.kind, name: route.metadata.name, matches, backends, timeouts, retry: retry(merged), fault: fault(merged) };
}
