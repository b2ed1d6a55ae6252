import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** Results of a certify request, one per error code plus ok; the `result` label's closed set. */
export const CERTIFY_RESULTS = ['ok', 'invalid_argument', 'unauthenticated', 'permission_denied', 'unavailable'] as const;
export type CertifyResult = (typeof CERTIFY_RESULTS)[number];

export const RELOAD_RESULTS = ['ok', 'refused'] as const;
export type ReloadResult = (typeof RELOAD_RESULTS)[number];

export interface ControlMetrics {
  readonly registry: Registry;
  certified(result: CertifyResult): void;
  issuerReloaded(result: ReloadResult): void;
  /** Expiry of the issuer in use and of the earliest anchor, as Unix seconds. */
  trustExpiry(issuerNotAfter: Date, earliestAnchorNotAfter: Date): void;
  /** A load of the policy resources: applied, or refused with the last good policy kept. */
  policyReloaded(result: ReloadResult, revision: number): void;
  /** Open policy streams, read at scrape time. */
  policyStreams(read: () => number): void;
  /** A load of the discovery table and the outbound resources: applied, or refused with the last good table kept. */
  destinationReloaded(result: ReloadResult, revision: number): void;
  /** Open destination streams, read at scrape time. */
  destinationStreams(read: () => number): void;
}

/** The control plane's metrics on a Registry of its own (never the global one), process metrics included. */
export function createControlMetrics(): ControlMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const certify = new Counter({
    name: 'identity_certify_requests_total',
    help: 'Certify requests answered by the identity service, by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  const reloads = new Counter({
    name: 'identity_issuer_reload_total',
    help: 'Loads of the trust files (at start and on change), by result: ok, or refused with the last good issuer kept.',
    labelNames: ['result'],
    registers: [registry],
  });
  const issuerExpiry = new Gauge({
    name: 'identity_issuer_expiration_timestamp_seconds',
    help: 'notAfter of the issuer certificate in use, Unix seconds.',
    registers: [registry],
  });
  const anchorExpiry = new Gauge({
    name: 'identity_anchor_expiration_timestamp_seconds',
    help: 'notAfter of the earliest-expiring trust anchor, Unix seconds.',
    registers: [registry],
  });
  const policyReloads = new Counter({
    name: 'policy_reload_total',
    help: 'Loads of the policy resources (at start and on change), by result: ok, or refused with the last good policy kept.',
    labelNames: ['result'],
    registers: [registry],
  });
  const policyRevision = new Gauge({
    name: 'policy_revision',
    help: 'Revision of the policies in force; grows with every applied change.',
    registers: [registry],
  });
  let readStreams: () => number = () => 0;
  new Gauge({
    name: 'policy_streams',
    help: 'Open policy streams (one per proxy).',
    registers: [registry],
    collect() {
      this.set(readStreams());
    },
  });
  const destinationReloads = new Counter({
    name: 'destination_reload_total',
    help: 'Loads of the discovery table and the outbound resources (at start and on change), by result: ok, or refused with the last good table kept.',
    labelNames: ['result'],
    registers: [registry],
  });
  const destinationRevision = new Gauge({
    name: 'destination_revision',
    help: 'Revision of the discovery table in force; grows with every applied change.',
    registers: [registry],
  });
  let readDestinationStreams: () => number = () => 0;
  new Gauge({
    name: 'destination_streams',
    help: 'Open destination streams (one per proxy).',
    registers: [registry],
    collect() {
      this.set(readDestinationStreams());
    },
  });
  for (const result of RELOAD_RESULTS) policyReloads.inc({ result }, 0);
  for (const result of RELOAD_RESULTS) destinationReloads.inc({ result }, 0);
  // Every result from the start, so rate() sees the first failure as an increase from 0.
  for (const result of CERTIFY_RESULTS) certify.inc({ result }, 0);
  for (const result of RELOAD_RESULTS) reloads.inc({ result }, 0);
  return {
    registry,
    certified: (result) => certify.inc({ result }),
    issuerReloaded: (result) => reloads.inc({ result }),
    policyReloaded: (result, revision) => {
      policyReloads.inc({ result });
      policyRevision.set(revision);
    },
    policyStreams: (read) => {
      readStreams = read;
    },
    destinationReloaded: (result, revision) => {
      destinationReloads.inc({ result });
      destinationRevision.set(revision);
    },
    destinationStreams: (read) => {
      readDestinationStreams = read;
    },
    trustExpiry: (issuerNotAfter, anchorNotAfter) => {
      issuerExpiry.set(issuerNotAfter.getTime() / 1000);
      anchorExpiry.set(anchorNotAfter.getTime() / 1000);
    },
  };
}
