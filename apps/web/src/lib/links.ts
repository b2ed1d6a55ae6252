import { globalParams, hrefWith } from './view-params';

/**
 * Links between pages. Each keeps the view state that travels with the user (window, time range, refresh) and
 * sets the target page's own parameters.
 */
type Current = URLSearchParams | string;

export function workloadHref(namespace: string, name: string, current: Current = ''): string {
  const path = `/namespaces/${encodeURIComponent(namespace)}/workloads/${encodeURIComponent(name)}`;
  return hrefWith(path, globalParams(current), {});
}

/** The page of a service (what callers address as `<name>.<namespace>.svc.cluster.local`). */
export function serviceHref(namespace: string, name: string, current: Current = ''): string {
  const path = `/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
  return hrefWith(path, globalParams(current), {});
}

/** The routes page of a workload; `route` selects one ("" is the unmatched traffic), undefined the busiest. */
export function routesHref(namespace: string, workload: string, current: Current = '', route?: string): string {
  return hrefWith('/routes', globalParams(current), { namespace, workload, route });
}

/**
 * The routes page of a service: its routes as its callers saw them. Route charts are kept per workload only, so no
 * route is selected here.
 */
export function serviceRoutesHref(namespace: string, service: string, current: Current = ''): string {
  return hrefWith('/routes', globalParams(current), { namespace, service });
}

export function workloadsHref(namespace: string | null, current: Current = ''): string {
  return hrefWith('/workloads', globalParams(current), { namespace });
}

/** The topology, optionally of one namespace and with a node or edge selected (its details panel open). */
export function topologyHref(namespace: string | null, current: Current = '', selected?: string): string {
  return hrefWith('/topology', globalParams(current), { namespace, selected });
}

/** The Tap page listening to a workload (or a whole namespace). */
export function tapHref(namespace: string, workload?: string, current: Current = ''): string {
  return hrefWith('/tap', globalParams(current), { namespace, workload });
}

/** The Top page of a workload (or a whole namespace). */
export function topHref(namespace: string, workload?: string, current: Current = ''): string {
  return hrefWith('/top', globalParams(current), { namespace, workload });
}
