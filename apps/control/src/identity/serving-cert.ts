import { createCsr, refreshDelayMs, signLeaf } from '@meshviz/identity';
import { CONTROL_NAMESPACE, IDENTITY_DEFAULTS, identityName, type WorkloadIdentity } from '@meshviz/mesh-types';
import type { Logger } from 'pino';
import type { LoadedTrust, TrustStore } from './trust-store.js';

/** What the TLS listener presents (its own key, its leaf followed by the issuer) and the anchors peers are checked against. */
export interface ServingCredentials {
  key: string;
  cert: string;
  validUntil: Date;
  anchorsPem: readonly string[];
}

/**
 * Where a control plane listener gets its serving certificate: made here from the issuer when the identity service
 * runs in this process (`issuerServing`), else certified by the identity service as proxies are
 * (`certifiedServing`, certified-serving.ts).
 */
export interface ServingSource {
  /** Keeps the listener's certificate fresh; `apply` installs each new one. */
  serve(spec: { serviceAccount: string; log: Logger; apply: (credentials: ServingCredentials) => void }): ServingCert;
}

/** Serving certificates signed by the issuer of this process' trust store. */
export function issuerServing(store: TrustStore, settings: { trustDomain: string; leafLifetimeMs: number; clockSkewMs: number }): ServingSource {
  return { serve: ({ serviceAccount, log, apply }) => startServingCert({ store, ...settings, serviceAccount, log, apply }) };
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
      options.apply({ key: keyPem, cert: `${leaf.certPem}${trust.issuer.certPem}`, validUntil: leaf.validUntil, anchorsPem: trust.anchorsPem });
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
