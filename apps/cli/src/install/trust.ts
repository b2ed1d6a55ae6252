import { createIssuer, createServingCertificate, createTrustAnchor, inspectCertificate, issuerCommonName, readTrustFiles } from '@meshviz/identity';

/** What the control plane is installed with: the mesh's trust, and the injector's own serving certificate. */
export interface InstallTrust {
  /** The trust anchors (PEM bundle) every proxy and the identity service trust. */
  anchorsPem: string;
  /** The issuer the identity service signs leaves with. */
  issuer: { certPem: string; keyPem: string };
  /** Where they came from, for the summary printed beside the manifests. */
  source: 'generated' | { dir: string };
}

export const INJECTOR_SERVICE = { name: 'meshviz-proxy-injector', namespace: 'meshviz-system' } as const;

/** A fresh trust anchor and issuer, as `meshviz identity init` makes them; the anchor's key is not kept. */
export async function generatedTrust(trustDomain: string): Promise<InstallTrust> {
  const anchor = await createTrustAnchor({ trustDomain });
  const issuer = await createIssuer(anchor, { trustDomain });
  return { anchorsPem: anchor.certPem, issuer, source: 'generated' };
}

/**
 * The user's trust directory (`meshviz identity init --dir`, or their own ca.crt, issuer.crt, issuer.key),
 * checked to fit together and to be made for `trustDomain`.
 */
export async function trustFromDir(dir: string, trustDomain: string): Promise<InstallTrust> {
  const material = await readTrustFiles(dir);
  const expected = issuerCommonName(trustDomain);
  const subject = inspectCertificate(material.issuer.certPem).subject;
  if (subject !== `CN=${expected}`) {
    throw new Error(
      `${dir}/issuer.crt is the issuer ${subject}, not CN=${expected}: it was made for another trust domain than ${trustDomain} (pass that one with --trust-domain)`,
    );
  }
  return { anchorsPem: material.anchorsPem, issuer: material.issuer, source: { dir } };
}

/** The injector's serving certificate, under the names the API server dials its Service by. */
export function injectorServingCertificate() {
  const { name, namespace } = INJECTOR_SERVICE;
  return createServingCertificate({ dnsNames: [`${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`] });
}
