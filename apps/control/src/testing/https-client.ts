import https from 'node:https';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import { identityServiceName } from '@meshviz/mesh-types';

export interface HttpsAnswer {
  status: number;
  body: string;
  /** The DNS SANs of the certificate the server presented. */
  serverNames: string[];
}

/**
 * POSTs to the identity service as a proxy would: trusting only the anchors and checking that the server is the
 * identity service of `trustDomain` (its DNS SAN), whatever address it was reached at.
 */
export function postIdentity(
  address: string,
  path: string,
  body: string,
  opts: { anchorsPem: string; trustDomain: string; contentType?: string },
): Promise<HttpsAnswer> {
  const i = address.lastIndexOf(':');
  const servername = identityServiceName(opts.trustDomain);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: address.slice(0, i).replace(/^\[|\]$/g, ''),
        port: Number(address.slice(i + 1)),
        path,
        method: 'POST',
        ca: opts.anchorsPem,
        servername,
        minVersion: 'TLSv1.3',
        // The address is an IP; the name to check is the service's identity, as proxies check it.
        checkServerIdentity: (_host, cert) => checkServerIdentity(servername, cert),
        headers: { 'content-type': opts.contentType ?? 'application/json' },
        agent: false,
      },
      (response) => {
        const peer = (response.socket as TLSSocket).getPeerCertificate();
        const serverNames = (peer.subjectaltname ?? '')
          .split(', ')
          .filter((entry) => entry.startsWith('DNS:'))
          .map((entry) => entry.slice(4));
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), serverNames }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
