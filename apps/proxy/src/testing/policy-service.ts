import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCsr, signLeaf } from '@meshviz/identity';
import {
  CONTROL_NAMESPACE,
  type InboundPolicy,
  identityName,
  POLICY_HEARTBEAT_MS,
  POLICY_STREAM_PATH,
  type PolicyStreamMessage,
  parseIdentityName,
} from '@meshviz/mesh-types';
import { certificateDnsNames } from '../tls/connect.js';
import type { TestPki } from './identity-fixtures.js';

/** One stream the stand-in served: the workload asked for and the identity the proxy presented. */
export interface ServedStream {
  readonly workload: string;
  readonly clientId: string;
}

export interface TestPolicyService {
  readonly addr: string;
  /** The identity this service presents (the proxies' PROXY_POLICY_SVC_NAME). */
  readonly serviceName: string;
  /** Every stream opened so far, in order. */
  readonly streams: readonly ServedStream[];
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

/**
 * A stand-in for the control plane's policy service, speaking the contract in mesh-types' policy.ts exactly: HTTPS
 * (TLS 1.3) with a leaf for the policy service's identity from the test issuer, a client certificate required and
 * checked against the anchor, `GET <POLICY_STREAM_PATH>/<namespace>/<workload>` answered with `application/x-ndjson`
 * lines of PolicyStreamMessage: the workload's policy at once (when one is published) and after every change, and
 * a heartbeat every POLICY_HEARTBEAT_MS. A proxy whose identity is not of the workload's namespace is refused (403).
 * The real service is apps/control's; this one lets the proxy's side be tested on its own.
 */
export async function startTestPolicyService(pki: TestPki, options: PolicyServiceOptions = {}): Promise<TestPolicyService> {
  const serviceName = identityName({ serviceAccount: 'policy', namespace: CONTROL_NAMESPACE, trustDomain: pki.trustDomain });
  const presented = options.identity ?? serviceName;
  const { keyPem, csrPem } = await createCsr(parseIdentityName(presented)!);
  const own = await signLeaf(pki.issuer, csrPem, { identity: parseIdentityName(presented)! });
  const policies = new Map<string, InboundPolicy>();
  const open = new Map<ServerResponse, string>();
  const streams: ServedStream[] = [];

  const write = (res: ServerResponse, message: PolicyStreamMessage | string): void => {
    res.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  };
  const server = https.createServer(
    {
      key: keyPem,
      cert: `${own.certPem.trim()}\n${pki.issuer.certPem.trim()}\n`,
      ca: pki.anchor.certPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    },
    (req, res) => {
      const refuse = (status: number, message: string): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message } }));
      };
      const match = /^\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec((req.url ?? '').slice(POLICY_STREAM_PATH.length));
      if (req.method !== 'GET' || !(req.url ?? '').startsWith(`${POLICY_STREAM_PATH}/`) || !match) {
        return refuse(404, 'no such stream');
      }
      const [, namespace = '', name = ''] = match;
      const names = certificateDnsNames((req.socket as TLSSocket).getPeerCertificate());
      const clientId = names.find((n) => parseIdentityName(n)) ?? '';
      if (parseIdentityName(clientId)?.namespace !== namespace) {
        return refuse(403, `identity "${clientId}" may not read policies of namespace ${namespace}`);
      }
      const workload = `${namespace}/${name}`;
      streams.push({ workload, clientId });
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
      open.set(res, workload);
      res.once('close', () => open.delete(res));
      const policy = policies.get(workload);
      if (policy) write(res, { type: 'policy', policy });
    },
  );
  const heartbeatMs = options.heartbeatMs ?? POLICY_HEARTBEAT_MS;
  const heartbeat =
    heartbeatMs > 0
      ? setInterval(() => {
          for (const res of open.keys()) write(res, { type: 'heartbeat' });
        }, heartbeatMs)
      : undefined;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const toWorkload = (workload: string, line: PolicyStreamMessage | string): void => {
    for (const [res, w] of open) if (w === workload) write(res, line);
  };
  return {
    addr: `127.0.0.1:${port}`,
    serviceName,
    streams,
    get open() {
      return open.size;
    },
    publish: (policy) => {
      const workload = `${policy.workload.namespace}/${policy.workload.name}`;
      policies.set(workload, policy);
      toWorkload(workload, { type: 'policy', policy });
    },
    forget: (workload) => {
      policies.delete(workload);
    },
    sendRaw: (workload, line) => toWorkload(workload, line),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
