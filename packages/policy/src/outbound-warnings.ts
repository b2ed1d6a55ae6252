import { OUTBOUND_ANNOTATIONS as A, type DestinationsFile } from '@meshviz/mesh-types';
import type { PolicyIssue } from './issues.js';
import type { LoadedResource } from './parse-documents.js';
import { type GRPCRoute, type HTTPRoute, routeDirection, type Service } from './resources.js';
import { discoveredService, parentCovers, portList } from './service-discovery.js';

/**
 * Warnings about outbound resources that load but do nothing: a route attached to a Service discovery does not list
 * (or not on that port), retry settings without a retry condition, failure-accrual settings without the mode.
 * Discovery is checked only when the table is given.
 */
export function outboundWarnings(loaded: readonly LoadedResource[], destinations: DestinationsFile | undefined): PolicyIssue[] {
  const warnings: PolicyIssue[] = [];
  const routes = loaded.filter(
    (l): l is LoadedResource & { resource: HTTPRoute | GRPCRoute } =>
      (l.resource.kind === 'HTTPRoute' || l.resource.kind === 'GRPCRoute') && routeDirection(l.resource) === 'outbound',
  );
  const services = loaded.filter((l): l is LoadedResource & { resource: Service } => l.resource.kind === 'Service');
  const serviceAnnotations = (ns: string, name: string) =>
    services.find((s) => s.resource.metadata.namespace === ns && s.resource.metadata.name === name)?.resource.metadata.annotations ?? {};
  const asksRetries = (annotations: Record<string, string>) => A.retryHttp in annotations || A.retryGrpc in annotations;
  const retrySettings = (annotations: Record<string, string>) => [A.retryLimit, A.retryTimeout].filter((k) => k in annotations);
  const NO_RETRY = `has no effect: retries are asked for by ${A.retryHttp} or ${A.retryGrpc}, on the route or its Service`;

  for (const { file, label, resource } of routes) {
    const warn = (path: string, message: string) => warnings.push({ file, resource: label, path, message });
    const ns = resource.metadata.namespace;
    const own = resource.metadata.annotations ?? {};
    resource.spec.parentRefs.forEach((ref, i) => {
      if (!destinations) return;
      const entries = discoveredService(destinations, ns, ref.name);
      if (entries.length === 0) warn(`spec.parentRefs.${i}`, `Service ${ns}/${ref.name} is not in discovery: the route applies to nothing`);
      else if (!entries.some((e) => parentCovers(ref.port, e))) {
        warn(`spec.parentRefs.${i}.port`, `Service ${ns}/${ref.name} is in discovery on ${portList(entries)} only: the route applies to nothing`);
      }
    });
    const parentsAsk = resource.spec.parentRefs.some((ref) => asksRetries(serviceAnnotations(ns, ref.name)));
    if (!asksRetries(own) && !parentsAsk) for (const key of retrySettings(own)) warn(`metadata.annotations.${key}`, NO_RETRY);
  }

  for (const { file, label, resource } of services) {
    const warn = (path: string, message: string) => warnings.push({ file, resource: label, path, message });
    const { namespace: ns, name } = resource.metadata;
    const own = resource.metadata.annotations ?? {};
    const routesAsk = routes.some(
      (r) => r.resource.metadata.namespace === ns && r.resource.spec.parentRefs.some((p) => p.name === name) && asksRetries(r.resource.metadata.annotations ?? {}),
    );
    if (!asksRetries(own) && !routesAsk) for (const key of retrySettings(own)) warn(`metadata.annotations.${key}`, NO_RETRY);
    if (own[A.failureAccrual] === undefined) {
      for (const key of [A.accrualMaxFailures, A.accrualMinPenalty, A.accrualMaxPenalty, A.accrualJitter].filter((k) => k in own)) {
        warn(`metadata.annotations.${key}`, `has no effect without ${A.failureAccrual}: consecutive`);
      }
    }
  }
  return warnings;
}
