import { readFile } from 'node:fs/promises';
import { inspectCertificate, splitPemBundle, verifyChain } from '@meshviz/identity';
import { type CheckItem, IDENTITY_DEFAULTS } from '@meshviz/mesh-types';
import type { PrometheusClient } from '../../prometheus/client.js';

/** Where the API reads the mesh's trust anchors and issuer certificate (never a key). */
export interface TrustFiles {
  readonly anchorsFile: string;
  readonly issuerCertFile: string;
}

/** Scrape targets of the control plane carry this label (file_sd locally, relabelling on Kubernetes). */
export const CONTROL_COMPONENT_LABEL = 'component';
export const CONTROL_COMPONENT = 'meshviz-control';

/**
 * Every proxy's certificate expiry with the identity and issuer it names: one series per proxy. The product keeps
 * the expiry's value and takes identity and issuer from identity_cert_info.
 */
export const PROXY_CERTS_QUERY =
  'identity_cert_expiration_timestamp_seconds * on (namespace, pod) group_left (identity, issuer_sha256) identity_cert_info';

const DAY_MS = 24 * 60 * 60 * 1000;
const days = (ms: number): string => `${Math.floor(ms / DAY_MS)} days`;
const normalise = (fingerprint: string): string => fingerprint.replaceAll(':', '').toLowerCase();

function validity(what: string, notAfter: Date, now: number): Pick<CheckItem, 'status' | 'detail' | 'hint'> {
  const left = notAfter.getTime() - now;
  if (left <= 0) {
    return { status: 'fail', detail: `${what} expired at ${notAfter.toISOString()}`, hint: 'rotate it: see `meshviz identity init --help`' };
  }
  if (left < IDENTITY_DEFAULTS.expiryWarningMs) {
    return {
      status: 'warn',
      detail: `${what} expires at ${notAfter.toISOString()}, in ${days(left)}`,
      hint: 'rotate it before it expires: see `meshviz identity init --help`',
    };
  }
  return { status: 'ok', detail: `${what} valid until ${notAfter.toISOString().slice(0, 10)} (${days(left)})` };
}

/**
 * The identity half of `meshviz check`: the trust anchors and the issuer (valid, chained, not about to expire),
 * the identity service (scraped and up), and every proxy holding a current certificate from the current issuer.
 * One Prometheus query beside the ones the check makes anyway (its targets are passed in).
 */
export async function identityChecks(
  prom: PrometheusClient,
  files: TrustFiles | undefined,
  controlTargets: readonly { health: string; lastError: string }[] | null,
  proxiesReporting: number,
  now: number,
): Promise<CheckItem[]> {
  if (!files) {
    return [
      {
        id: 'identity',
        description: 'Workload identity (mTLS) is set up',
        status: 'warn',
        detail: 'the API was not given the trust anchors, so identity is not checked',
        hint: 'set API_IDENTITY_TRUST_ANCHORS_FILE and API_IDENTITY_ISSUER_CERT_FILE (`meshviz up` does)',
      },
    ];
  }
  const items: CheckItem[] = [];
  let anchors: string[] = [];
  let issuerSha = '';
  try {
    anchors = splitPemBundle(await readFile(files.anchorsFile, 'utf8'));
    if (anchors.length === 0) throw new Error('holds no certificate');
    const summaries = anchors.map(inspectCertificate);
    const soonest = summaries.reduce((a, b) => (a.notAfter <= b.notAfter ? a : b));
    const what = `${anchors.length === 1 ? 'the trust anchor' : `${anchors.length} trust anchors, the first to expire`} (${soonest.subject})`;
    items.push({ id: 'identity-anchor', description: 'The trust anchor is valid', ...validity(what, soonest.notAfter, now) });
  } catch (error) {
    items.push({
      id: 'identity-anchor',
      description: 'The trust anchor is valid',
      status: 'fail',
      detail: `${files.anchorsFile}: ${(error as Error).message}`,
    });
  }
  try {
    const pem = await readFile(files.issuerCertFile, 'utf8');
    const issuer = inspectCertificate(pem);
    issuerSha = normalise(issuer.fingerprintSha256);
    const chain = anchors.length > 0 ? verifyChain(pem, [], anchors, new Date(now)) : { ok: false as const, reason: 'no anchor' };
    const item = { id: 'identity-issuer', description: 'The issuer is valid and signed by the trust anchor' };
    items.push(
      chain.ok
        ? { ...item, ...validity(`the issuer (${issuer.subject})`, issuer.notAfter, now) }
        : { ...item, status: 'fail', detail: `the issuer does not chain to the trust anchor: ${chain.reason}` },
    );
  } catch (error) {
    items.push({
      id: 'identity-issuer',
      description: 'The issuer is valid and signed by the trust anchor',
      status: 'fail',
      detail: `${files.issuerCertFile}: ${(error as Error).message}`,
    });
  }
  items.push(serviceItem(controlTargets));
  items.push(await proxiesItem(prom, issuerSha, proxiesReporting, now));
  return items;
}

function serviceItem(targets: readonly { health: string; lastError: string }[] | null): CheckItem {
  const item = { id: 'identity-service', description: 'The identity service is up' };
  if (targets === null) return { ...item, status: 'warn', detail: 'this store does not report its scrape targets' };
  if (targets.length === 0) {
    return {
      ...item,
      status: 'warn',
      detail: 'Prometheus does not scrape the control plane',
      hint: `add its admin port as a target labelled ${CONTROL_COMPONENT_LABEL}="${CONTROL_COMPONENT}"`,
    };
  }
  const down = targets.filter((t) => t.health !== 'up');
  return down.length === 0
    ? { ...item, status: 'ok', detail: `${targets.length} ${targets.length === 1 ? 'replica' : 'replicas'} up` }
    : { ...item, status: 'fail', detail: `${down.length} of ${targets.length} down: ${down[0]?.lastError || 'down'}` };
}

async function proxiesItem(prom: PrometheusClient, issuerSha: string, reporting: number, now: number): Promise<CheckItem> {
  const item = { id: 'identity-proxies', description: 'Every proxy holds a current certificate from the current issuer' };
  const samples = await prom.instant(PROXY_CERTS_QUERY).catch(() => null);
  if (samples === null) return { ...item, status: 'warn', detail: 'proxy certificates could not be queried' };
  const name = (s: { labels: Record<string, string> }) => `${s.labels.namespace ?? '?'}/${s.labels.pod ?? '?'}`;
  const expired = samples.filter((s) => s.value * 1000 <= now);
  const otherIssuer = issuerSha === '' ? [] : samples.filter((s) => normalise(s.labels.issuer_sha256 ?? '') !== issuerSha);
  const missing = Math.max(0, reporting - samples.length);
  const problems = [
    ...expired.map((s) => `${name(s)}: certificate expired`),
    ...otherIssuer.map((s) => `${name(s)}: certificate from another issuer`),
    ...(missing > 0 ? [`${missing} of ${reporting} proxies report no certificate`] : []),
  ];
  if (problems.length > 0) {
    return {
      ...item,
      status: 'fail',
      detail: problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : ''),
      hint: 'a proxy without a current certificate cannot reach meshed peers: check the identity service and that proxy',
    };
  }
  if (samples.length === 0) return { ...item, status: 'warn', detail: 'no proxy reports a certificate' };
  const soonest = Math.min(...samples.map((s) => s.value)) * 1000 - now;
  const left = soonest >= 2 * 3_600_000 ? `${Math.floor(soonest / 3_600_000)} h` : `${Math.round(soonest / 60_000)} min`;
  return { ...item, status: 'ok', detail: `${samples.length} proxies, the soonest certificate expires in ${left}` };
}
