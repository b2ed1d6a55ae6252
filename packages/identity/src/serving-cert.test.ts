import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectCertificate } from './inspect.js';
import { createServingCertificate } from './serving-cert.js';

const NAMES = ['meshviz-proxy-injector.meshviz-system.svc', 'meshviz-proxy-injector.meshviz-system.svc.cluster.local'];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A TLS handshake to a server presenting the certificate, the client trusting only `ca` and dialling `servername`. */
async function handshake(cert: { certPem: string; keyPem: string }, ca: string, servername: string): Promise<string | null> {
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (socket) => socket.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => server.close());
  const { port } = server.address() as AddressInfo;
  const socket = connect({ host: '127.0.0.1', port, servername, ca });
  return new Promise((resolve) => {
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? error.message));
  });
}

describe('createServingCertificate', () => {
  it('serves TLS to a client that trusts only its CA and dials one of its names', async () => {
    const served = await createServingCertificate({ dnsNames: NAMES });
    expect(await handshake(served, served.caPem, NAMES[0]!)).toBeNull();
    expect(await handshake(served, served.caPem, NAMES[1]!)).toBeNull();
  });

  it('is refused under another name, and by a client that trusts another CA', async () => {
    const served = await createServingCertificate({ dnsNames: NAMES });
    const other = await createServingCertificate({ dnsNames: NAMES });
    expect(await handshake(served, served.caPem, 'meshviz-identity.meshviz-system.svc')).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(await handshake(served, other.caPem, NAMES[0]!)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('makes a CA that is not the leaf, and a leaf that is no CA, valid for the asked lifetime', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const served = await createServingCertificate({ dnsNames: NAMES, lifetimeMs: 30 * 24 * 3600_000, now });
    const ca = inspectCertificate(served.caPem);
    const leaf = inspectCertificate(served.certPem);
    expect(ca.isCa).toBe(true);
    expect(leaf.isCa).toBe(false);
    expect(leaf.dnsNames).toEqual(NAMES);
    expect(leaf.notAfter.toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });

  it('refuses no names, a name that is not a DNS name, and a lifetime that is not positive', async () => {
    await expect(createServingCertificate({ dnsNames: [] })).rejects.toThrow('at least one DNS name');
    await expect(createServingCertificate({ dnsNames: ['Bad_Name'] })).rejects.toThrow('"Bad_Name" is not a lower-case DNS name');
    await expect(createServingCertificate({ dnsNames: NAMES, lifetimeMs: 0 })).rejects.toThrow('lifetimeMs must be positive');
  });
});
