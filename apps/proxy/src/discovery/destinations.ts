import { DestinationsFile } from '@meshviz/mesh-types';
import { formatHostPort, parseHostPort } from '@meshviz/runtime';
import type { ServiceTarget } from '../balance/p2c.js';
import { noTls, securedTls } from '../core/tls-status.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { parseAuthority } from '../http/authority.js';
import { compileRoutes, NO_ROUTES } from '../route/route-table.js';

const NOT_FROM_DISCOVERY = noTls('not_provided_by_service_discovery');

/**
 * The outbound side's view of discovery: authority → service and endpoints. Targets are built once per table
 * load, so their metric keys are stable across reloads and requests never rebuild them.
 */
export class DestinationsTable {
  private services = new Map<string, ServiceTarget>();

  /** Finds the service for a host (no port; ports are ignored when matching). */
  lookup(host: string): ServiceTarget | undefined {
    return this.services.get(host);
  }

  get size(): number {
    return this.services.size;
  }

  replace(file: DestinationsFile): void {
    const next = new Map<string, ServiceTarget>();
    for (const [key, service] of Object.entries(file.services)) {
      const authority = parseAuthority(key);
      if (!authority) throw new Error(`services key "${key}" is not a valid authority`);
      next.set(authority.host, buildService(authority.host, service));
    }
    this.services = next;
  }
}

/** Validates raw file text; throws an Error whose message says what is wrong. */
export function parseDestinations(text: string): DestinationsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  const result = DestinationsFile.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`does not match the destinations schema: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}

function buildService(host: string, service: DestinationsFile['services'][string]): ServiceTarget {
  const endpoints: EndpointTarget[] = service.endpoints.map((endpoint) => {
    const addr = parseHostPort(endpoint.addr);
    if (!addr) throw new Error(`endpoint addr "${endpoint.addr}" of ${host} is not host:port`);
    const targetAddr = formatHostPort(addr);
    const meta = {
      service: service.service,
      namespace: endpoint.namespace,
      deployment: endpoint.deployment,
      pod: endpoint.pod,
    };
    const tls = endpoint.identity ? securedTls(endpoint.identity) : NOT_FROM_DISCOVERY;
    const key = ['ep', targetAddr, meta.namespace, meta.service, meta.deployment, meta.pod, tls.key].join('\u0000');
    return { addr, destination: { key, targetAddr, meta, tls } };
  });
  const meta = { service: service.service, namespace: service.namespace };
  let routes = NO_ROUTES;
  try {
    routes = compileRoutes(service.routes ?? []);
  } catch (error) {
    throw new Error(`routes of ${host}: ${(error as Error).message}`);
  }
  return {
    authority: host,
    endpoints,
    routes,
    destination: { key: ['svc', meta.namespace, meta.service].join('\u0000'), targetAddr: '', meta },
  };
}
