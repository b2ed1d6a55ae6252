import type { PolicyWorkload } from '@meshviz/mesh-types';
import type { LabelSelector, Server } from './resources.js';

/** Kubernetes label-selector semantics: every matchLabels pair and every expression must hold. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export function serverSelects(server: Server, workload: PolicyWorkload): boolean {
  return server.metadata.namespace === workload.namespace && selectorMatches(server.spec.podSelector, workload.labels);
}

/** A Server's port is a number or the name of one of the workload's ports. */
export function serverPortMatches(server: Server, port: PolicyWorkload['ports'][number]): boolean {
  const want = server.spec.port;
  return typeof want === 'number' ? want === port.port : want === port.name;
}

/**
 * The Servers covering one port of a workload, first by name. The first is the one that applies: resources here
 * have no creation time, so name order stands in for "oldest first" and the choice is the same on every run.
 */
export function coveringServers(
  servers: readonly Server[],
  workload: PolicyWorkload,
  port: PolicyWorkload['ports'][number],
): Server[] {
  return servers
    .filter((s) => serverSelects(s, workload) && serverPortMatches(s, port))
    .sort((a, b) => compareNames(a.metadata.name, b.metadata.name));
}

/** Code-unit order, so the result does not depend on the machine's locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
