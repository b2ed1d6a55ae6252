import type { StatsRow } from '@meshviz/mesh-types';
import { sortRows } from '../../lib/namespaces';
import type { RoutesSubject } from '../../lib/view-params';

/** One group of the routes page's picker: the workloads, or the services. */
export interface SubjectGroup {
  kind: RoutesSubject['kind'];
  label: string;
  options: { value: string; label: string }[];
}

const GROUP_LABELS: Record<RoutesSubject['kind'], string> = { workload: 'Workloads', service: 'Services' };

/** The picker's value for a subject: "workload/<ns>/<name>" or "service/<ns>/<name>"; "" for none. */
export function subjectValue(subject: RoutesSubject | null): string {
  return subject ? `${subject.kind}/${subject.namespace}/${subject.name}` : '';
}

/** The subject a picker value names, or null for anything else. */
export function subjectOfValue(value: string): RoutesSubject | null {
  const [kind, namespace, name, ...rest] = value.split('/');
  if ((kind !== 'workload' && kind !== 'service') || !namespace || !name || rest.length > 0) return null;
  return { kind, namespace, name };
}

/**
 * The picker's groups: the deployments and the services Prometheus knows (the stats API's deployment and service
 * rows), each sorted by namespace and name. The subject the URL names is always there, even when the stats do not
 * list it (no traffic in the window), so the picker can show it.
 */
export function subjectGroups(
  workloads: readonly StatsRow[] | undefined,
  services: readonly StatsRow[] | undefined,
  current: RoutesSubject | null,
): SubjectGroup[] {
  const group = (kind: RoutesSubject['kind'], rows: readonly StatsRow[] | undefined): SubjectGroup => {
    const named = sortRows(rows ?? []).map((row) => ({ namespace: row.namespace, name: row.name }));
    if (current?.kind === kind && !named.some((s) => s.namespace === current.namespace && s.name === current.name)) {
      named.unshift({ namespace: current.namespace, name: current.name });
    }
    return {
      kind,
      label: GROUP_LABELS[kind],
      options: named.map((s) => ({ value: subjectValue({ kind, ...s }), label: `${s.namespace}/${s.name}` })),
    };
  };
  return [group('workload', workloads), group('service', services)].filter((g) => g.options.length > 0);
}
