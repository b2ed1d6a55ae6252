import type { PolicyWorkload, PolicyWorkloads } from '@meshviz/mesh-types';
import { coveringServers, serverPortMatches, serverSelects } from './coverage.js';
import { parseIdentityPattern } from './identity-patterns.js';
import type { PolicyIssue } from './issues.js';
import type { LoadedResource } from './parse-documents.js';
import type { Server } from './resources.js';

/**
 * Warnings: resources that are valid and refer to things that exist, but match nothing among the workloads (a
 * selector, an identity), or lose to another Server on a port. The policy still applies; the operator is told.
 * Without the workloads (`mesh` null) only what needs none of them is checked.
 */
export function policyWarnings(loaded: readonly LoadedResource[], mesh: PolicyWorkloads | null): PolicyIssue[] {
  const warnings: PolicyIssue[] = [];
  if (!mesh) return routeProtocolWarnings(loaded);
  const servers = loaded.filter((l): l is LoadedResource & { resource: Server } => l.resource.kind === 'Server');
  const hasAccount = (ns: string, sa: string) =>
    mesh.workloads.some((w) => w.namespace === ns && w.serviceAccount === sa);
  const hasNamespace = (ns: string) => mesh.workloads.some((w) => w.namespace === ns);

  for (const { file, label, resource } of loaded) {
    const warn = (path: string, message: string) => warnings.push({ file, resource: label, path, message });
    const ns = resource.metadata.namespace;
    switch (resource.kind) {
      case 'Server': {
        const selected = mesh.workloads.filter((w) => serverSelects(resource, w));
        if (selected.length === 0) warn('spec.podSelector', `selects no workload of namespace ${ns}`);
        else if (!selected.some((w) => w.ports.some((p) => serverPortMatches(resource, p)))) {
          warn('spec.port', `none of the workloads it selects (${names(selected)}) has port ${resource.spec.port}`);
        }
        break;
      }
      case 'MeshTLSAuthentication': {
        resource.spec.identities?.forEach((text, i) => {
          const p = parseIdentityPattern(text);
          const path = `spec.identities.${i}`;
          if (!p || p.kind === 'any') return;
          if (p.trustDomain !== mesh.trustDomain) {
            warn(path, `trust domain "${p.trustDomain}" is not the mesh's ("${mesh.trustDomain}"): it matches no workload`);
          } else if (p.kind === 'name' && !hasAccount(p.namespace, p.serviceAccount)) {
            warn(path, `no workload runs as service account ${p.namespace}/${p.serviceAccount}`);
          } else if (p.kind === 'namespace' && !hasNamespace(p.namespace)) {
            warn(path, `no workload runs in namespace ${p.namespace}`);
          }
        });
        resource.spec.identityRefs?.forEach((ref, i) => {
          const path = `spec.identityRefs.${i}`;
          if (ref.kind === 'Namespace' && !hasNamespace(ref.name)) warn(path, `no workload runs in namespace ${ref.name}`);
          const saNs = ref.namespace ?? ns;
          if (ref.kind === 'ServiceAccount' && !hasAccount(saNs, ref.name)) {
            warn(path, `no workload runs as service account ${saNs}/${ref.name}`);
          }
        });
        break;
      }
      case 'AuthorizationPolicy':
        resource.spec.requiredAuthenticationRefs.forEach((ref, i) => {
          const saNs = ref.namespace ?? ns;
          if (ref.kind === 'ServiceAccount' && !hasAccount(saNs, ref.name)) {
            warn(`spec.requiredAuthenticationRefs.${i}`, `no workload runs as service account ${saNs}/${ref.name}`);
          }
        });
        break;
      default:
        break;
    }
  }
  warnings.push(...routeProtocolWarnings(loaded), ...overlapWarnings(servers, mesh.workloads));
  return warnings;
}

/** Inbound routes attached to a Server whose port carries no HTTP. */
function routeProtocolWarnings(loaded: readonly LoadedResource[]): PolicyIssue[] {
  const warnings: PolicyIssue[] = [];
  const protocols = new Map<string, string>();
  for (const { resource } of loaded) {
    if (resource.kind === 'Server') protocols.set(`${resource.metadata.namespace}/${resource.metadata.name}`, resource.spec.proxyProtocol);
  }
  for (const { file, label, resource } of loaded) {
    if (resource.kind !== 'HTTPRoute' && resource.kind !== 'GRPCRoute') continue;
    const ns = resource.metadata.namespace;
    resource.spec.parentRefs.forEach((ref, i) => {
      const protocol = ref.kind === 'Server' ? protocols.get(`${ns}/${ref.name}`) : undefined;
      if (protocol === 'opaque' || protocol === 'TLS') {
        const message = `Server ${ns}/${ref.name} is ${protocol}: the proxy reads no HTTP there, so routes never apply`;
        warnings.push({ file, resource: label, path: `spec.parentRefs.${i}`, message });
      }
    });
  }
  return warnings;
}

function names(workloads: readonly PolicyWorkload[]): string {
  return workloads.map((w) => `${w.namespace}/${w.name}`).join(', ');
}

/** A port that several Servers cover: every Server but the first by name is reported, with the one that applies. */
function overlapWarnings(
  servers: readonly (LoadedResource & { resource: Server })[],
  workloads: readonly PolicyWorkload[],
): PolicyIssue[] {
  const warnings: PolicyIssue[] = [];
  const byServer = new Map(servers.map((l) => [l.resource, l]));
  for (const w of workloads) {
    for (const port of w.ports) {
      const [chosen, ...losers] = coveringServers(
        servers.map((l) => l.resource),
        w,
        port,
      );
      for (const loser of losers) {
        const l = byServer.get(loser)!;
        warnings.push({
          file: l.file,
          resource: l.label,
          path: 'spec.port',
          message: `port ${port.port} of workload ${w.namespace}/${w.name} is also covered by Server ${w.namespace}/${chosen!.metadata.name}, which applies (the first by name); this Server does not apply there`,
        });
      }
    }
  }
  return warnings;
}
