import https from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { type CaMaterial, createCsr, signLeaf } from '@meshviz/identity';
import { POLICY_STREAM_PATH, PolicyStreamMessage, policyServiceName, type WorkloadIdentity } from '@meshviz/mesh-types';

export interface ClientCert {
  keyPem: string;
  certPem: string;
}

/** A workload leaf signed by the fixture's issuer, as a proxy would hold after certifying. */
export async function workloadCert(issuer: CaMaterial, identity: WorkloadIdentity): Promise<ClientCert> {
  const { keyPem, csrPem } = await createCsr(identity);
  const leaf = await signLeaf(issuer, csrPem, { identity, lifetimeMs: 60 * 60 * 1000, clockSkewMs: 20_000 });
  return { keyPem, certPem: `${leaf.certPem}${issuer.certPem}` };
}

export interface PolicyStream {
  status: number;
  /** The error body when status is not 200. */
  body: string;
  messages: PolicyStreamMessage[];
  /** performance.now() when each message arrived. */
  arrivals: number[];
  close(): void;
}

/**
 * Opens a policy stream as a proxy does: mutual TLS with `cert`, the server checked against the anchors and as the
 * policy service of `trustDomain`. Messages are parsed with the contract's schema as they arrive.
 */
export function openPolicyStream(
  address: string,
  workload: string,
  opts: { anchorsPem: string; trustDomain: string; cert?: ClientCert },
): Promise<PolicyStream> {
  const i = address.lastIndexOf(':');
  const servername = policyServiceName(opts.trustDomain);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: address.slice(0, i),
        port: Number(address.slice(i + 1)),
        path: `${POLICY_STREAM_PATH}/${workload}`,
        method: 'GET',
        ca: opts.anchorsPem,
        ...(opts.cert ? { key: opts.cert.keyPem, cert: opts.cert.certPem } : {}),
        servername,
        minVersion: 'TLSv1.3',
        checkServerIdentity: (_host, cert) => checkServerIdentity(servername, cert),
        agent: false,
      },
      (response) => {
        const stream: PolicyStream = {
          status: response.statusCode ?? 0,
          body: '',
          messages: [],
          arrivals: [],
          close: () => request.destroy(),
        };
        let buffered = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (stream.status !== 200) {
            stream.body += chunk;
            return;
          }
          buffered += chunk;
          let nl = buffered.indexOf('\n');
          while (nl >= 0) {
            stream.messages.push(PolicyStreamMessage.parse(JSON.parse(buffered.slice(0, nl))));
            stream.arrivals.push(performance.now());
            buffered = buffered.slice(nl + 1);
            nl = buffered.indexOf('\n');
          }
        });
        response.on('error', () => {});
        if (stream.status === 200) resolve(stream);
        else response.on('end', () => resolve(stream));
      },
    );
    request.on('error', reject);
    request.end();
  });
}
