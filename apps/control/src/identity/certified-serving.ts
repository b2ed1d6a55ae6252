import { readFile } from 'node:fs/promises';
import { type Certified, startCertifier } from '@meshviz/identity';
import { CONTROL_NAMESPACE, identityName, identityServiceName, type WorkloadIdentity } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { AnchorsFile } from './anchors-file.js';
import type { ServingCert, ServingCredentials, ServingSource } from './serving-cert.js';

/** How a process without the identity service gets its certificate (CONTROL_IDENTITY_SVC_ADDR and friends). */
export interface CertifyClientConfig {
  /** The identity service, as this process reaches it; it must present identity.meshviz-system…<td>. */
  identityAddr: HostPort;
  /** The projected service-account token (audience identity.meshviz.io), re-read at every attempt. */
  tokenFile: string;
}

export interface CertifiedServing extends ServingSource {
  /** The identity this process certifies as. */
  readonly identity: string;
  ready(): boolean;
  stop(): void;
}

/**
 * Serving certificates for a process without the issuer: one certificate for the process — named after the service
 * account its token belongs to, `<serviceAccount>.meshviz-system.serviceaccount.identity.meshviz.<td>` — obtained
 * from the identity service as a proxy obtains its own (a key made in memory, a CSR, the token), renewed at 70 % of
 * its lifetime, retried with backoff, and remade at once when the anchors file changes. Every listener of the
 * process presents it and verifies clients against the anchors it was certified with.
 */
export function certifiedServing(
  config: CertifyClientConfig & { trustDomain: string; serviceAccount: string },
  deps: {
    /** The trust anchors the identity service is checked against and clients are verified with. */
    anchors: AnchorsFile;
    log: Logger;
  },
): CertifiedServing {
  const identity: WorkloadIdentity = { serviceAccount: config.serviceAccount, namespace: CONTROL_NAMESPACE, trustDomain: config.trustDomain };
  const name = identityName(identity);
  const log = deps.log.child({ identity: name });
  const listeners = new Set<(credentials: ServingCredentials) => void>();
  let latest: ServingCredentials | undefined;

  const certifier = startCertifier({
    identity,
    service: { addr: config.identityAddr, name: identityServiceName(config.trustDomain) },
    token: () => readFile(config.tokenFile, 'utf8'),
    anchors: async () => (await deps.anchors.read()).join(''),
    onCertified: (certified: Certified) => {
      latest = { key: certified.keyPem, cert: certified.chainPem, validUntil: certified.notAfter, anchorsPem: deps.anchors.current() ?? [] };
      log.info({ validUntil: certified.notAfter.toISOString(), renewInMs: Math.round(certified.renewInMs) }, 'serving certificate certified');
      for (const apply of listeners) apply(latest);
    },
    onFailure: (error, retryInMs) =>
      log.warn(
        { reason: error.message, retryInMs: Math.round(retryInMs), currentCertValidUntil: latest?.validUntil.toISOString() ?? null },
        latest ? 'serving certificate renewal failed; serving with the current one' : 'not certified yet',
      ),
  });
  // New anchors (a rotation's bundle): certify again so the chain and the client check follow them at once.
  deps.anchors.onChange(() => certifier.renewNow());

  return {
    identity: name,
    ready: () => latest !== undefined,
    stop: () => certifier.stop(),
    serve: ({ serviceAccount, log: serverLog, apply }): ServingCert => {
      if (serviceAccount !== config.serviceAccount) {
        serverLog.info({ presents: name }, `the ${serviceAccount} listener presents this process' identity`);
      }
      listeners.add(apply);
      if (latest) apply(latest);
      return { ready: () => latest !== undefined && listeners.has(apply), stop: () => listeners.delete(apply) };
    },
  };
}
