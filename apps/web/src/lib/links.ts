import { globalParams, hrefWith, type RoutesSubject, subjectParams } from './view-params';

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

/** The page of a routes subject: the workload's detail page or the service's page. */
export function subjectHref(subject: RoutesSubject, current: Current = ''): string {
  const { kind, namespace, name } = subject;
  return kind === 'service' ? serviceHref(namespace, name, current) : workloadHref(namespace, name, current);
}

/**
 * The routes page of a workload or a service; `route` selects one of a workload's ("" is the unmatched traffic),
 * undefined the busiest. Route charts are kept per workload only, so a service's page selects none.
 */
export function routesHref(subject: RoutesSubject, current: Current = '', route?: string): string {
  return hrefWith('/routes', globalParams(current), { ...subjectParams(subject), route });
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
