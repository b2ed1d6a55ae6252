import {
  CONTROL_NAMESPACE,
  type InboundPolicy,
  identityName,
  POLICY_HEARTBEAT_MS,
  POLICY_STREAM_PATH,
  type PolicyStreamMessage,
  parseIdentityName,
} from '@meshviz/mesh-types';
import type { TestPki } from './identity-fixtures.js';
import { startTestStreamService } from './stream-service.js';

/** One stream the stand-in served: the workload asked for and the identity the proxy presented. */
export interface ServedPolicyStream {
  readonly workload: string;
  readonly clientId: string;
}

export interface TestPolicyService {
  readonly addr: string;
  /** The identity this service presents (the proxies' PROXY_POLICY_SVC_NAME). */
  readonly serviceName: string;
  /** Every stream opened so far, in order. */
  readonly streams: readonly ServedPolicyStream[];
  /** Streams open now. */
  readonly open: number;
  /** Sets a workload's policy: sent to its open streams now, and first on every stream opened later. */
  publish(policy: InboundPolicy): void;
  /** Forgets a workload's policy: later streams get nothing until the next publish (open ones keep what they have). */
  forget(workload: string): void;
  /** Writes one raw line (a newline is added) to every open stream of `workload`. */
  sendRaw(workload: string, line: string): void;
  close(): Promise<void>;
}

export interface PolicyServiceOptions {
  /** The identity its certificate names; the policy service's own by default. A test of the proxy's check changes it. */
  readonly identity?: string;
  /** 0: no heartbeats (a silent stream). */
  readonly heartbeatMs?: number;
}

const line = (message: PolicyStreamMessage): string => JSON.stringify(message);

/**
 * A stand-in for the control plane's policy service, speaking the contract in mesh-types' policy.ts exactly over the
 * shared stream transport (stream-service.ts): `GET <POLICY_STREAM_PATH>/<namespace>/<workload>` answered with
 * PolicyStreamMessage lines: the workload's policy at once (when one is published) and after every change, and a
 * heartbeat every POLICY_HEARTBEAT_MS. A proxy whose identity is not of the workload's namespace is refused (403).
 * The real service is apps/control's; this one lets the proxy's side be tested on its own.
 */
export async function startTestPolicyService(pki: TestPki, options: PolicyServiceOptions = {}): Promise<TestPolicyService> {
  const serviceName = identityName({ serviceAccount: 'policy', namespace: CONTROL_NAMESPACE, trustDomain: pki.trustDomain });
  const policies = new Map<string, InboundPolicy>();
  const service = await startTestStreamService(pki, {
    identity: options.identity ?? serviceName,
    heartbeatMs: options.heartbeatMs ?? POLICY_HEARTBEAT_MS,
    heartbeat: line({ type: 'heartbeat' }),
    admit: (req, clientId) => {
      const url = req.url ?? '';
      const match = /^\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(url.slice(POLICY_STREAM_PATH.length));
      if (req.method !== 'GET' || !url.startsWith(`${POLICY_STREAM_PATH}/`) || !match) return { status: 404, message: 'no such stream' };
      const [, namespace = '', name = ''] = match;
      if (parseIdentityName(clientId)?.namespace !== namespace) {
        return { status: 403, message: `identity "${clientId}" may not read policies of namespace ${namespace}` };
      }
      return { key: `${namespace}/${name}` };
    },
    first: (workload) => {
      const policy = policies.get(workload);
      return policy ? line({ type: 'policy', policy }) : undefined;
    },
  });
  return {
    addr: service.addr,
    serviceName,
    get streams() {
      return service.streams.map((s) => ({ workload: s.key, clientId: s.clientId }));
    },
    get open() {
      return service.open;
    },
    publish: (policy) => {
      const workload = `${policy.workload.namespace}/${policy.workload.name}`;
      policies.set(workload, policy);
      service.send(workload, line({ type: 'policy', policy }));
    },
    forget: (workload) => {
      policies.delete(workload);
    },
    sendRaw: (workload, raw) => service.send(workload, raw),
    close: () => service.close(),
  };
}
