import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { IDENTITY_DEFAULTS, parseIdentityName } from '@meshviz/mesh-types';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { IdentityConfig } from '../config.js';
import { certify } from './certify-client.js';
import { LocalIdentity } from './local-identity.js';

/** Backoff between failed attempts: 1 s doubling to 1 min, each with up to 50 % jitter. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export interface RunningIdentity {
  readonly identity: LocalIdentity;
  stop(): void;
}

/** When to renew a certificate valid for `remainingMs` more: at 70 % of it, clamped to 10 s – 24 h. */
export function refreshDelayMs(remainingMs: number): number {
  const { refreshShare, refreshMinMs, refreshMaxMs } = IDENTITY_DEFAULTS;
  return Math.min(refreshMaxMs, Math.max(refreshMinMs, remainingMs * refreshShare));
}

/**
 * Certifies this proxy and keeps it certified. Each attempt makes a fresh key in memory, sends a CSR with the
 * workload token (re-read every time: Kubernetes rotates projected tokens) and the trust anchors (re-read too,
 * so a bundle of old and new anchors reaches running proxies). A failure keeps the current certificate serving
 * and retries with backoff; success schedules the next renewal at 70 % of the new lifetime.
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

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;
  const schedule = (ms: number): void => {
    if (!stopped) timer = setTimeout(attempt, ms);
  };

  async function attempt(): Promise<void> {
    try {
      const anchorsPem = config.trustAnchorsFile ? await readFile(config.trustAnchorsFile, 'utf8') : identity.anchors;
      const token = (await readFile(config.tokenFile, 'utf8')).trim();
      // Loaded on first use: the X.509 library is ~25 MB of RSS a proxy without identity never needs.
      const { createCsr } = await import('@meshviz/identity');
      const { keyPem, csrPem } = await createCsr(workload!);
      const answer = await certify({
        addr: config.serviceAddr,
        serverName: config.serviceName,
        anchorsPem,
        identity: config.localName,
        token,
        csrPem,
        timeoutMs: 10_000,
      });
      const notAfter = new Date(answer.validUntil);
      const chainPem = [answer.leafCertificate, ...answer.intermediateCertificates].map((p) => p.trim()).join('\n');
      if (stopped) return;
      identity.update({ material: { keyPem, chainPem: `${chainPem}\n`, notAfter }, anchorsPem });
      refreshes.inc();
      expiry.set(notAfter.getTime() / 1000);
      info.reset();
      info.set({ identity: config.localName, issuer_sha256: fingerprint(answer.intermediateCertificates[0] ?? '') }, 1);
      failures = 0;
      const next = refreshDelayMs(notAfter.getTime() - Date.now());
      log.info({ validUntil: answer.validUntil, renewInMs: Math.round(next) }, 'certified');
      schedule(next);
    } catch (error) {
      failures += 1;
      const base = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (failures - 1));
      const wait = base * (1 + Math.random() * 0.5);
      const expiresAt = identity.expiresAt?.toISOString();
      log.warn(
        { reason: (error as Error).message, retryInMs: Math.round(wait), currentCertValidUntil: expiresAt ?? null },
        identity.ready ? 'certificate renewal failed; serving with the current certificate' : 'not certified yet',
      );
      schedule(wait);
    }
  }

  void attempt();
  return {
    identity,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
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
