import { createCsr, signLeaf } from '@meshviz/identity';
import { CONTROL_NAMESPACE, IDENTITY_DEFAULTS, identityName, type WorkloadIdentity } from '@meshviz/mesh-types';
import type { Logger } from 'pino';
import type { LoadedTrust, TrustStore } from './trust-store.js';

/** What the TLS listener presents: the service's own key and its leaf followed by the issuer. */
export interface ServingCredentials {
  key: string;
  cert: string;
  validUntil: Date;
}

export interface ServingCertOptions {
  store: TrustStore;
  trustDomain: string;
  leafLifetimeMs: number;
  clockSkewMs: number;
  log: Logger;
  apply: (credentials: ServingCredentials) => void;
  /** The control plane service account this listener speaks as: `identity` (default), `policy` or `destination`. */
  serviceAccount?: string;
}

export interface ServingCert {
  /** True once credentials have been applied. */
  ready(): boolean;
  stop(): void;
}

/**
 * Keeps a control plane listener's own leaf (`identity.meshviz-system.serviceaccount.identity.meshviz.<td>` for the
 * identity service, `policy.…` and `destination.…` for the streaming services) fresh: proxies check it against the
 * trust anchors before they send a token or trust what is streamed to them. It is made at start (or as soon as an
 * issuer loads), renewed at 70 % of its lifetime as proxies renew theirs, and remade at once when a new issuer
 * loads, so the chain presented is always the one the current anchors accept.
 */
export function startServingCert(options: ServingCertOptions): ServingCert {
  const { store, log } = options;
  const identity: WorkloadIdentity = {
    serviceAccount: options.serviceAccount ?? 'identity',
    namespace: CONTROL_NAMESPACE,
    trustDomain: options.trustDomain,
  };
  let applied = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let latest = 0;

  async function renew(trust: LoadedTrust): Promise<void> {
    const attempt = ++latest;
    clearTimeout(timer);
    try {
      const { keyPem, csrPem } = await createCsr(identity);
      const leaf = await signLeaf(trust.issuer, csrPem, {
        identity,
        lifetimeMs: options.leafLifetimeMs,
        clockSkewMs: options.clockSkewMs,
      });
      // A newer issuer arrived while this one was being signed: its renewal wins.
      if (stopped || attempt !== latest) return;
      options.apply({ key: keyPem, cert: `${leaf.certPem}${trust.issuer.certPem}`, validUntil: leaf.validUntil });
      applied = true;
      const delay = refreshDelayMs(leaf.validUntil.getTime() - Date.now());
      log.info({ identity: identityName(identity), validUntil: leaf.validUntil.toISOString(), renewInMs: delay }, 'serving certificate issued');
      schedule(delay);
    } catch (error) {
      if (stopped || attempt !== latest) return;
      log.error({ err: { message: (error as Error).message } }, 'cannot issue the serving certificate; retrying');
      schedule(IDENTITY_DEFAULTS.refreshMinMs);
    }
  }

  function schedule(delayMs: number): void {
    timer = setTimeout(() => {
      const trust = store.current();
      if (trust) void renew(trust);
    }, delayMs);
    timer.unref();
  }

  store.onLoad((trust) => void renew(trust));
  const initial = store.current();
  if (initial) void renew(initial);

  return {
    ready: () => applied,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** 70 % of the remaining lifetime, clamped as the proxies clamp theirs. */
export function refreshDelayMs(remainingMs: number): number {
  const share = remainingMs * IDENTITY_DEFAULTS.refreshShare;
  return Math.min(IDENTITY_DEFAULTS.refreshMaxMs, Math.max(IDENTITY_DEFAULTS.refreshMinMs, share));
}
