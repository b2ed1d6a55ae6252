import { X509Certificate as NodeCertificate } from 'node:crypto';
import { parseCertificate } from './inspect.js';
import { x509 } from './x509-lib.js';

export type ChainResult = { ok: true } | { ok: false; reason: string };

interface ChainCert {
  label: string;
  node: NodeCertificate;
  parsed: x509.X509Certificate;
}

/** Longest path tried: leaf, a few intermediates, anchor. Guards against loops in a hostile bundle. */
const MAX_DEPTH = 8;

/**
 * Checks that `leafPem` chains to one of `anchorsPem` through `intermediatesPem`: each signature verifies with
 * the next certificate's key, every certificate is within its validity at `now`, every signer is a CA allowed to
 * sign certificates (keyCertSign, path length). Synchronous (node:crypto does the signatures), so callers can use
 * it in TLS callbacks and checks alike.
 */
export function verifyChain(
  leafPem: string,
  intermediatesPem: string[],
  anchorsPem: string[],
  now: Date = new Date(),
): ChainResult {
  let leaf: ChainCert;
  let intermediates: ChainCert[];
  let anchors: ChainCert[];
  try {
    leaf = load(leafPem, 'leaf');
    intermediates = intermediatesPem.map((pem, i) => load(pem, `intermediate ${i + 1}`));
    anchors = anchorsPem.map((pem, i) => load(pem, `anchor ${i + 1}`));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (anchors.length === 0) return { ok: false, reason: 'no trust anchors given' };

  let current = leaf;
  // At each step `depth` is how many intermediates lie between the signer looked for and the leaf, the count a
  // signer's path length limits (self-issued certificates are counted too, which only makes this stricter).
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const expired = outsideValidity(current, now);
    if (expired) return { ok: false, reason: expired };

    const anchor = anchors.find((candidate) => signs(candidate, current));
    if (anchor) {
      const refused = cannotSign(anchor, depth) ?? outsideValidity(anchor, now);
      return refused ? { ok: false, reason: refused } : { ok: true };
    }
    const next = intermediates.find((candidate) => candidate !== current && signs(candidate, current));
    if (!next) {
      return { ok: false, reason: `${current.label} (${current.parsed.subject}) is not signed by any given intermediate or trust anchor` };
    }
    const refused = cannotSign(next, depth);
    if (refused) return { ok: false, reason: refused };
    current = next;
  }
  return { ok: false, reason: `no trust anchor within ${MAX_DEPTH} certificates` };
}

function load(pem: string, label: string): ChainCert {
  try {
    const parsed = parseCertificate(pem);
    return { label, parsed, node: new NodeCertificate(Buffer.from(parsed.rawData)) };
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
  }
}

function signs(signer: ChainCert, subject: ChainCert): boolean {
  return subject.node.checkIssued(signer.node) && subject.node.verify(signer.node.publicKey);
}

function outsideValidity(cert: ChainCert, now: Date): string | undefined {
  const { notBefore, notAfter } = cert.parsed;
  if (now < notBefore) return `${cert.label} (${cert.parsed.subject}) is not valid before ${notBefore.toISOString()}`;
  if (now > notAfter) return `${cert.label} (${cert.parsed.subject}) expired at ${notAfter.toISOString()}`;
  return undefined;
}

function cannotSign(signer: ChainCert, intermediatesBelow: number): string | undefined {
  const name = `${signer.label} (${signer.parsed.subject})`;
  const constraints = signer.parsed.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) return `${name} signs certificates but is not a CA`;
  if (constraints.pathLength !== undefined && intermediatesBelow > constraints.pathLength) {
    return `${name} allows ${constraints.pathLength} intermediates below it, the chain has ${intermediatesBelow}`;
  }
  const usage = signer.parsed.getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) return `${name} lacks the keyCertSign key usage`;
  return undefined;
}
