import type { IncomingMessage } from 'node:http';
import { POLICY_HEARTBEAT_MS, POLICY_STREAM_PATH, type PolicyStreamMessage, parseIdentityName } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { ServingSource } from '../identity/serving-cert.js';
import { type Refusal, refuse, type Stream, type StreamServer, startStreamServer } from '../streaming/server.js';
import { inboundPolicy, type PolicyCatalog, workloadKey } from './catalog.js';

export interface PolicyServerOptions {
  listen: HostPort;
  trustDomain: string;
  heartbeatMs?: number;
}

const SEGMENT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The policy service: `GET /v1/policy/inbound/<namespace>/<workload>` streams that workload's inbound policy as
 * NDJSON, at once and after every change, with heartbeats between. Mutual TLS, TLS 1.3: the server presents
 * `policy.meshviz-system…`, and a client must present a certificate of this mesh whose identity is of the
 * workload's namespace — a proxy reads its own namespace's policies and no other.
 */
export function startPolicyServer(
  options: PolicyServerOptions,
  deps: { serving: ServingSource; catalog: PolicyCatalog; log: Logger },
): Promise<StreamServer> {
  const { catalog } = deps;

  function resolve(req: IncomingMessage, client: string | undefined): Refusal | Stream<PolicyStreamMessage> {
    const url = new URL(req.url ?? '/', 'https://policy');
    if (req.method !== 'GET') return refuse(405, 'POLICY_METHOD_NOT_ALLOWED', `${req.method} is not allowed; use GET`);
    if (!url.pathname.startsWith(`${POLICY_STREAM_PATH}/`)) {
      return refuse(404, 'POLICY_NOT_FOUND', `no such path ${url.pathname}; use ${POLICY_STREAM_PATH}/<namespace>/<workload>`);
    }
    const [namespace, name, ...rest] = url.pathname.slice(POLICY_STREAM_PATH.length + 1).split('/');
    if (!namespace || !name || rest.length > 0 || !SEGMENT.test(namespace) || !SEGMENT.test(name)) {
      return refuse(400, 'POLICY_INVALID_ARGUMENT', `expected ${POLICY_STREAM_PATH}/<namespace>/<workload> with DNS labels`);
    }
    const parsed = client ? parseIdentityName(client) : undefined;
    if (!client || !parsed || parsed.trustDomain !== options.trustDomain) {
      return refuse(403, 'POLICY_PERMISSION_DENIED', `the client certificate names no identity of trust domain ${options.trustDomain}`);
    }
    if (parsed.namespace !== namespace) {
      return refuse(403, 'POLICY_PERMISSION_DENIED', `identity ${client} may not read the policy of namespace ${namespace}`);
    }
    const key = workloadKey(namespace, name);
    const current = catalog.get(key);
    if (!current) {
      if (!catalog.ready()) return refuse(503, 'POLICY_UNAVAILABLE', 'no policy has loaded yet');
      return refuse(404, 'POLICY_NOT_FOUND', `no workload ${namespace}/${name} is known`);
    }
    return {
      first: { type: 'policy', policy: inboundPolicy(current) },
      subscribe: (send) => catalog.subscribe(key, (entry) => send({ type: 'policy', policy: inboundPolicy(entry) })),
      logFields: { stream: 'policy', workload: key, client },
    };
  }

  const { listen } = options;
  return startStreamServer<PolicyStreamMessage>(
    { listen, serviceAccount: 'policy', heartbeatMs: options.heartbeatMs ?? POLICY_HEARTBEAT_MS },
    { serving: deps.serving, log: deps.log, resolve, heartbeat: { type: 'heartbeat' } },
  );
}
