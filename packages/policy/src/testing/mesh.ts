import type { PolicyWorkload, PolicyWorkloads } from '@meshviz/mesh-types';
import { validateDocuments } from '../load.js';
import type { PolicyResource } from '../resources.js';

/** The demo mesh's workloads as the control plane knows them: each app on port 8080, named "http". */
function workload(namespace: string, name: string, extra: Partial<PolicyWorkload> = {}): PolicyWorkload {
  return {
    namespace,
    name,
    serviceAccount: name,
    labels: { app: name },
    ports: [{ port: 8080, name: 'http' }],
    probePaths: ['/healthz'],
    defaultPolicy: 'all-unauthenticated',
    ...extra,
  };
}

export const DEMO_WORKLOADS: PolicyWorkload[] = [
  workload('bookshop', 'web'),
  workload('bookshop', 'catalog'),
  workload('bookshop', 'reviews'),
  workload('billing', 'payments'),
  workload('billing', 'ledger', { ports: [{ port: 8080, name: 'http' }, { port: 9000, name: 'admin' }] }),
  workload('traffic', 'loadgen', { ports: [] }),
];

export const DEMO_MESH: PolicyWorkloads = {
  trustDomain: 'cluster.local',
  clusterNetworks: ['10.0.0.0/8', '127.0.0.0/8'],
  workloads: DEMO_WORKLOADS,
};

export function demoWorkload(namespace: string, name: string): PolicyWorkload {
  const w = DEMO_WORKLOADS.find((x) => x.namespace === namespace && x.name === name);
  if (!w) throw new Error(`no demo workload ${namespace}/${name}`);
  return w;
}

/** Resources from YAML texts (one file each), failing the test with every issue when they do not load. */
export function loadTexts(...texts: string[]): PolicyResource[] {
  const result = validateDocuments(
    texts.map((text, i) => ({ file: `policy/${i}.yaml`, text })),
    DEMO_MESH,
  );
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.file}: ${e.resource}: ${e.path}: ${e.message}`).join('\n'));
  return result.resources;
}
