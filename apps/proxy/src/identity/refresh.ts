import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Certifier } from '@meshviz/identity/certifier';
import { parseIdentityName } from '@meshviz/mesh-types';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { IdentityConfig } from '../config.js';
import { LocalIdentity } from './local-identity.js';

export interface RunningIdentity {
  readonly identity: LocalIdentity;
  stop(): void;
}

/**
 * Certifies this proxy and keeps it certified (the certify client and its schedule are @meshviz/identity's, shared
 * with the control plane). Each attempt makes a fresh key in memory, sends a CSR with the workload token (re-read
 * every time: Kubernetes rotates projected tokens) and the trust anchors (re-read too, so a bundle of old and new
 * anchors reaches running proxies). A failure keeps the current certificate serving and retries with backoff;
 * success schedules the next renewal at 70 % of the new lifetime.
 */
export function startIdentity(config: IdentityConfig, deps: { registry: Registry; log: Logger }): RunningIdentity {
  const log = deps.log.child({ identity: config.localName });
  const identity = new LocalIdentity(config.localName, config.trustAnchorsPem ?? '');
  const workload = parseIdentityName(config.localName);
  if (!workload) throw new Error(`${config.localName} is not an identity name`);
  const expiry = new Gauge({
    name: 'identity_cert_expiration_timestamp_seconds',
    help: "Time when this proxy's current certificate expires, in seconds since the epoch.",
    registers: [deps.registry],
  });
  // Which identity and issuer this proxy holds: the dashboard shows each pod's identity, and `meshviz check` tells
  // a proxy still on an old issuer (or anchor) from one on the current.
  const info = new Gauge({
    name: 'identity_cert_info',
    help: "The identity this proxy's current certificate names and its issuer's SHA-256 fingerprint; always 1.",
    labelNames: ['identity', 'issuer_sha256'],
    registers: [deps.registry],
  });
  const refreshes = new Counter({
    name: 'identity_cert_refresh_count',
    help: 'Certificates this proxy has obtained from the identity service.',
    registers: [deps.registry],
  });

  // Loaded only by proxies that certify. The certifier subpath builds CSRs with node:crypto and loads no X.509
  // library (the package index would, ~8 MB of RSS for the CA side's code).
  let certifier: Certifier | undefined;
  let stopped = false;
  const started = import('@meshviz/identity/certifier').then(({ startCertifier }) => {
    if (stopped) return;
    certifier = startCertifier({
    identity: workload,
    service: { addr: config.serviceAddr, name: config.serviceName },
    token: () => readFile(config.tokenFile, 'utf8'),
    anchors: async () => (config.trustAnchorsFile ? readFile(config.trustAnchorsFile, 'utf8') : identity.anchors),
    onCertified: (certified) => {
      const { keyPem, chainPem, notAfter, anchorsPem } = certified;
      identity.update({ material: { keyPem, chainPem, notAfter }, anchorsPem });
      refreshes.inc();
      expiry.set(notAfter.getTime() / 1000);
      info.reset();
      info.set({ identity: config.localName, issuer_sha256: fingerprint(certified.issuerPem) }, 1);
      log.info({ validUntil: notAfter.toISOString(), renewInMs: Math.round(certified.renewInMs) }, 'certified');
    },
    onFailure: (error, retryInMs) => {
      const expiresAt = identity.expiresAt?.toISOString();
      log.warn(
        { reason: error.message, retryInMs: Math.round(retryInMs), currentCertValidUntil: expiresAt ?? null },
        identity.ready ? 'certificate renewal failed; serving with the current certificate' : 'not certified yet',
      );
    },
    });
  });
  started.catch((error: Error) => log.error({ reason: error.message }, 'the identity library could not be loaded'));
  return {
    identity,
    stop: () => {
      stopped = true;
      certifier?.stop();
    },
  };
}

/** SHA-256 fingerprint of a PEM certificate, lower-case hex without colons; "" when it does not parse. */
function fingerprint(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
  } catch {
    return '';
  }
}
