import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type PeerCertificate, type TLSSocket } from 'node:tls';
import { identityName, type WorkloadIdentity } from '@meshviz/mesh-types';
import { afterEach, expect, it } from 'vitest';
import { createIssuer, createTrustAnchor } from './authority.js';
import { createCsr } from './csr.js';
import { signLeaf } from './sign-leaf.js';

const trustDomain = 'cluster.local';
const client: WorkloadIdentity = { serviceAccount: 'web', namespace: 'shop', trustDomain };
const server: WorkloadIdentity = { serviceAccount: 'catalog', namespace: 'shop', trustDomain };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function leafFor(issuer: Awaited<ReturnType<typeof createIssuer>>, identity: WorkloadIdentity) {
  const { keyPem, csrPem } = await createCsr(identity);
  const { certPem } = await signLeaf(issuer, csrPem, { identity });
  // Peers need the issuer to reach the anchor, so each side presents leaf + issuer, as a proxy does.
  return { key: keyPem, cert: `${certPem}${issuer.certPem}` };
}

function dnsNames(peer: PeerCertificate): string[] {
  return (peer.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
}

it('two leaves complete a mutual TLS 1.3 handshake and each side sees the other identity', async () => {
  const anchor = await createTrustAnchor({ trustDomain });
  const issuer = await createIssuer(anchor, { trustDomain });
  const serverLeaf = await leafFor(issuer, server);
  const clientLeaf = await leafFor(issuer, client);

  let seenByServer: (seen: { names: string[]; authorized: boolean; protocol: string | null }) => void = () => {};
  const serverSaw = new Promise<Parameters<typeof seenByServer>[0]>((resolve) => {
    seenByServer = resolve;
  });
  const tlsServer = createServer(
    { ...serverLeaf, ca: anchor.certPem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' },
    (socket: TLSSocket) => {
      seenByServer({ names: dnsNames(socket.getPeerCertificate()), authorized: socket.authorized, protocol: socket.getProtocol() });
      socket.end();
    },
  );
  cleanups.push(() => tlsServer.close());
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  const socket = connect({
    host: '127.0.0.1',
    port: (tlsServer.address() as AddressInfo).port,
    ...clientLeaf,
    ca: anchor.certPem,
    servername: identityName(server),
    minVersion: 'TLSv1.3',
  });
  cleanups.push(() => socket.destroy());
  await once(socket, 'secureConnect');

  expect(socket.authorized).toBe(true);
  expect(socket.getProtocol()).toBe('TLSv1.3');
  expect(dnsNames(socket.getPeerCertificate())).toEqual([identityName(server)]);
  expect(await serverSaw).toEqual({ names: [identityName(client)], authorized: true, protocol: 'TLSv1.3' });
});

it('a client holding a leaf from another anchor is refused by the server, one from its own anchor is not', async () => {
  const anchor = await createTrustAnchor({ trustDomain });
  const issuer = await createIssuer(anchor, { trustDomain });
  const strangerAnchor = await createTrustAnchor({ trustDomain });
  const stranger = await leafFor(await createIssuer(strangerAnchor, { trustDomain }), client);

  const accepted: string[][] = [];
  const tlsServer = createServer(
    { ...(await leafFor(issuer, server)), ca: anchor.certPem, requestCert: true, rejectUnauthorized: true },
    (socket: TLSSocket) => {
      accepted.push(dnsNames(socket.getPeerCertificate()));
      socket.end('welcome');
    },
  );
  cleanups.push(() => tlsServer.close());
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');

  /** Connects with `leaf` and reads until the server closes; resolves with what the server sent. */
  async function exchange(leaf: { key: string; cert: string }): Promise<string> {
    const socket = connect({
      host: '127.0.0.1',
      port: (tlsServer.address() as AddressInfo).port,
      ...leaf,
      ca: anchor.certPem,
      servername: identityName(server),
    });
    cleanups.push(() => socket.destroy());
    // TLS 1.3 completes the client's side before the server has judged the client's certificate, so a refusal
    // shows as the connection closing without the greeting.
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    socket.on('error', () => {});
    await once(socket, 'close');
    return received;
  }

  expect(await exchange(stranger)).toBe('');
  expect(accepted).toEqual([]);
  expect(await exchange(await leafFor(issuer, client))).toBe('welcome');
  expect(accepted).toEqual([[identityName(client)]]);
});
