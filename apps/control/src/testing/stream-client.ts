import https from 'node:https';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import { type CaMaterial, createCsr, signLeaf } from '@meshviz/identity';
import {
  DESTINATION_STREAM_PATH,
  DestinationStreamMessage,
  destinationServiceName,
  POLICY_STREAM_PATH,
  PolicyStreamMessage,
  policyServiceName,
  type WorkloadIdentity,
} from '@meshviz/mesh-types';
import type { z } from 'zod';

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

export interface NdjsonStream<M> {
  status: number;
  /** The error body when status is not 200. */
  body: string;
  messages: M[];
  /** performance.now() when each message arrived. */
  arrivals: number[];
  /** The DNS SANs of the certificate the server presented. */
  serverNames: string[];
  close(): void;
}

export interface StreamClientOptions {
  anchorsPem: string;
  cert?: ClientCert;
  method?: string;
}

/**
 * Opens a stream as a proxy does: mutual TLS with `cert`, the server checked against the anchors and as
 * `servername` (a control plane service's identity), whatever address it was reached at. Messages are parsed with
 * the contract's schema as they arrive.
 */
export function openStream<M>(
  address: string,
  path: string,
  servername: string,
  schema: z.ZodType<M>,
  opts: StreamClientOptions,
): Promise<NdjsonStream<M>> {
  const i = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: address.slice(0, i),
        port: Number(address.slice(i + 1)),
        path,
        method: opts.method ?? 'GET',
        ca: opts.anchorsPem,
        ...(opts.cert ? { key: opts.cert.keyPem, cert: opts.cert.certPem } : {}),
        servername,
        minVersion: 'TLSv1.3',
        checkServerIdentity: (_host, cert) => checkServerIdentity(servername, cert),
        agent: false,
      },
      (response) => {
        const peer = (response.socket as TLSSocket).getPeerCertificate();
        const stream: NdjsonStream<M> = {
          status: response.statusCode ?? 0,
          body: '',
          messages: [],
          arrivals: [],
          serverNames: (peer.subjectaltname ?? '')
            .split(', ')
            .filter((entry) => entry.startsWith('DNS:'))
            .map((entry) => entry.slice(4)),
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
            stream.messages.push(schema.parse(JSON.parse(buffered.slice(0, nl))));
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

export type PolicyStream = NdjsonStream<PolicyStreamMessage>;

/** A policy stream of `namespace/workload`, the server checked as the policy service of `trustDomain`. */
export function openPolicyStream(
  address: string,
  workload: string,
  opts: StreamClientOptions & { trustDomain: string },
): Promise<PolicyStream> {
  return openStream(address, `${POLICY_STREAM_PATH}/${workload}`, policyServiceName(opts.trustDomain), PolicyStreamMessage, opts);
}

export type DestinationStream = NdjsonStream<DestinationStreamMessage>;

/** The destination stream (or `path`, to be refused), the server checked as the destination service of `trustDomain`. */
export function openDestinationStream(
  address: string,
  opts: StreamClientOptions & { trustDomain: string; path?: string },
): Promise<DestinationStream> {
  const path = opts.path ?? DESTINATION_STREAM_PATH;
  return openStream(address, path, destinationServiceName(opts.trustDomain), DestinationStreamMessage, opts);
}
