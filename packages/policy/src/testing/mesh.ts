import { type DestinationsFile, type PolicyWorkload, type PolicyWorkloads, serviceAuthority } from '@meshviz/mesh-types';
import { formatPolicyIssue } from '../issues.js';
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

/**
 * A discovery table as `meshviz up` writes it: one Service per demo workload (same name and namespace), each with
 * one endpoint, plus `extra` Services (a canary to split traffic to).
 */
export function demoDestinations(...extra: { namespace: string; service: string; authority?: string }[]): DestinationsFile {
  const services: DestinationsFile['services'] = {};
  const all: { namespace: string; service: string; authority?: string }[] = [...DEMO_WORKLOADS.filter((w) => w.ports.length > 0).map((w) => ({ namespace: w.namespace, service: w.name })), ...extra];
  all.forEach((s, i) => {
    const authority = s.authority ?? serviceAuthority(s.service, s.namespace);
    services[authority] = {
      namespace: s.namespace,
      service: s.service,
      endpoints: [{ addr: `127.0.0.1:${41000 + i}`, namespace: s.namespace, deployment: s.service, pod: `${s.service}-0`, identity: `${s.service}.${s.namespace}.serviceaccount.identity.meshviz.cluster.local` }],
    };
  });
  return { services };
}

/** Resources from YAML texts checked against a discovery table too, failing the test with every issue. */
export function loadWithDestinations(destinations: DestinationsFile, ...texts: string[]): PolicyResource[] {
  const result = validateDocuments(
    texts.map((text, i) => ({ file: `policy/${i}.yaml`, text })),
    DEMO_MESH,
    { destinations },
  );
  if (!result.ok) throw new Error(result.errors.map(formatPolicyIssue).join('\n'));
  return result.resources;
}
