import { IDENTITY_DEFAULTS, identityName, type WorkloadIdentity } from '@meshviz/mesh-types';
import { certify, type ServiceAddress } from './certify-client.js';
import { createCsr } from './csr.js';

/** Backoff between failed attempts: 1 s doubling to 1 min, each with up to 50 % jitter. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/** When to renew a certificate valid for `remainingMs` more: at 70 % of it, clamped to 10 s – 24 h. */
export function refreshDelayMs(remainingMs: number): number {
  const { refreshShare, refreshMinMs, refreshMaxMs } = IDENTITY_DEFAULTS;
  return Math.min(refreshMaxMs, Math.max(refreshMinMs, remainingMs * refreshShare));
}

/** The wait after the `failures`-th failure in a row (1 s, 2 s, 4 s … 1 min), plus up to 50 % jitter. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, failures - 1));
  return base * (1 + random() * 0.5);
}

/** What one successful certification yields. */
export interface Certified {
  /** Made in this process for this certificate; never sent anywhere. */
  readonly keyPem: string;
  /** The leaf, then the intermediates (the issuer), PEM, newline-terminated. */
  readonly chainPem: string;
  /** The issuer that signed the leaf (the first intermediate), PEM. */
  readonly issuerPem: string;
  readonly notAfter: Date;
  /** The trust anchors the identity service was checked against for this attempt. */
  readonly anchorsPem: string;
  /** When the next renewal is due, from now. */
  readonly renewInMs: number;
}

export interface CertifierOptions {
  identity: WorkloadIdentity;
  /** The identity service: where it listens and the identity it must present. */
  service: { addr: ServiceAddress; name: string };
  /** Read before every attempt: the kubelet rotates projected tokens under a running process. */
  token: () => Promise<string>;
  /** Read before every attempt, so a bundle of old and new anchors reaches a running process. */
  anchors: () => Promise<string>;
  timeoutMs?: number;
  onCertified: (certified: Certified) => void;
  onFailure: (error: Error, retryInMs: number) => void;
}

export interface Certifier {
  /** Certifies again now (new anchors), whatever the schedule said. */
  renewNow(): void;
  stop(): void;
}

/**
 * Obtains a certificate for `identity` from the identity service and keeps it fresh, as a proxy does: each attempt
 * makes a fresh key in memory and sends a CSR with the workload token over TLS 1.3 checked against the anchors; a
 * success schedules the next renewal at 70 % of the new lifetime, a failure retries with backoff (the caller keeps
 * serving with the certificate it holds).
 */
export function startCertifier(options: CertifierOptions): Certifier {
  const name = identityName(options.identity);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;
  let latest = 0;

  const schedule = (ms: number): void => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void attempt(), ms);
  };

  async function attempt(): Promise<void> {
    const run = ++latest;
    try {
      const anchorsPem = await options.anchors();
      const token = (await options.token()).trim();
      const { keyPem, csrPem } = await createCsr(options.identity);
      const answer = await certify({
        addr: options.service.addr,
        serverName: options.service.name,
        anchorsPem,
        identity: name,
        token,
        csrPem,
        timeoutMs: options.timeoutMs ?? 10_000,
      });
      // Stopped, or a newer attempt (renewNow) started meanwhile: its answer wins.
      if (stopped || run !== latest) return;
      const notAfter = new Date(answer.validUntil);
      const chainPem = [answer.leafCertificate, ...answer.intermediateCertificates].map((p) => p.trim()).join('\n');
      failures = 0;
      const renewInMs = refreshDelayMs(notAfter.getTime() - Date.now());
      options.onCertified({ keyPem, chainPem: `${chainPem}\n`, issuerPem: answer.intermediateCertificates[0] ?? '', notAfter, anchorsPem, renewInMs });
      schedule(renewInMs);
    } catch (error) {
      if (stopped || run !== latest) return;
      failures += 1;
      const wait = retryDelayMs(failures);
      options.onFailure(error as Error, wait);
      schedule(wait);
    }
  }

  void attempt();
  return {
    renewNow: () => {
      if (!stopped) void attempt();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
