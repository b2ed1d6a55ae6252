import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { assertTrustDomain, type CertificateSummary, inspectCertificate, splitPemBundle } from '@meshviz/identity';
import { DEFAULT_TRUST_DOMAIN } from '@meshviz/mesh-types';
import type { CliEnv } from '../config.js';
import { formatObjects, type KubeObject } from '../install/objects.js';
import { type Overlay, renderControlPlane, renderUninstall, renderViz } from '../install/render.js';
import { generatedTrust, type InstallTrust, trustFromDir } from '../install/trust.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: meshviz install [options] | kubectl apply -f -
       meshviz install viz [options] | kubectl apply -f -

Prints the Kubernetes manifests of meshviz, rendered from the repository's deploy/ with \`kubectl kustomize\`.
\`meshviz install\` prints the policy CRDs and the control plane (namespace meshviz-system): identity,
destination and policy, and the proxy injector, with a trust anchor and issuer (fresh ones, or yours), the
injector's serving certificate and the webhook's caBundle. \`meshviz install viz\` prints the viz stack
(namespace meshviz-viz): the API with tap, the dashboard and Prometheus, with a fresh tap token.

Options:
      --identity-dir <dir>    use the trust anchor and issuer in <dir> (ca.crt, issuer.crt, issuer.key, as
                              \`meshviz identity init --dir <dir>\` writes them) instead of fresh ones
      --trust-domain <td>     trust domain of the mesh's identities (default ${DEFAULT_TRUST_DOMAIN})
      --ha                    the high-availability overlay: 3 replicas, disruption budgets, anti-affinity,
                              requests and limits
      --dev                   the development overlay: debug logs, images not pulled when present
  -h, --help                  show this help

\`meshviz install viz\` takes --ha and --dev, and
      --trust-anchors <file>  the mesh's trust anchors (PEM; the ca.crt of --identity-dir), put in the ConfigMap
                              meshviz-identity-trust-anchors of meshviz-viz, which its injected proxies mount
 \`meshviz uninstall | kubectl delete --ignore-not-found -f -\`
removes everything. See deploy/README.md.`;

const UNINSTALL_HELP = `Usage: meshviz uninstall | kubectl delete --ignore-not-found -f -

Prints every object \`meshviz install\` and \`meshviz install viz\` create (by kind and name), the webhook first
and the namespaces and CRDs last. Deleting the CRDs deletes every Server, AuthorizationPolicy,
MeshTLSAuthentication and NetworkAuthentication in the cluster.`;

/** Options for tests: another kubectl, and where the manifests and the summary go. */
export interface InstallIo {
  kubectl?: string;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

const stdout = (text: string) => process.stdout.write(text);
const stderr = (text: string) => process.stderr.write(text);

/** `meshviz install` and `meshviz install viz`. */
export async function runInstall(argv: string[], _env: CliEnv, io: InstallIo = {}): Promise<number> {
  const out = io.out ?? stdout;
  const err = io.err ?? stderr;
  const viz = argv[0] === 'viz';
  const { values, positionals } = parseArgs({
    args: viz ? argv.slice(1) : argv,
    allowPositionals: true,
    options: {
      'identity-dir': { type: 'string' },
      'trust-domain': { type: 'string' },
      'trust-anchors': { type: 'string' },
      ha: { type: 'boolean', default: false },
      dev: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`meshviz install takes no arguments but "viz" first (got ${positionals.join(' ')})\n\n${HELP}`);
  }
  if (values.ha && values.dev) throw new UsageError('--ha and --dev are two overlays: pick one');
  const overlay: Overlay = values.ha ? 'ha' : values.dev ? 'dev' : 'default';

  if (viz) {
    for (const flag of ['identity-dir', 'trust-domain'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} belongs to \`meshviz install\` (the control plane), not to viz`);
    }
    const anchorsFile = values['trust-anchors'];
    const trustAnchorsPem = anchorsFile ? await readTrustAnchors(anchorsFile) : undefined;
    const objects = await renderViz({ overlay, ...(trustAnchorsPem ? { trustAnchorsPem } : {}), ...(io.kubectl ? { kubectl: io.kubectl } : {}) });
    out(formatObjects(objects));
    err(`meshviz install viz: ${objects.length} objects (${overlay} overlay), with a fresh tap token in Secret meshviz-viz/meshviz-tap\n`);
    if (!trustAnchorsPem) err(`${ANCHORS_HINT}\n`);
    return 0;
  }

  if (values['trust-anchors'] !== undefined) throw new UsageError('--trust-anchors belongs to `meshviz install viz`; the control plane takes --identity-dir');
  const trustDomain = values['trust-domain'] ?? DEFAULT_TRUST_DOMAIN;
  try {
    assertTrustDomain(trustDomain);
  } catch {
    throw new UsageError(`--trust-domain "${trustDomain}" is not a lower-case DNS name such as ${DEFAULT_TRUST_DOMAIN}`);
  }
  if (values['identity-dir'] === '') throw new UsageError('--identity-dir must not be empty');
  const dir = values['identity-dir'];
  const trust = dir ? await trustFromDir(dir, trustDomain) : await generatedTrust(trustDomain);
  const objects = await renderControlPlane({ overlay, trustDomain, trust, ...(io.kubectl ? { kubectl: io.kubectl } : {}) });
  out(formatObjects(objects));
  err(summary(objects, overlay, trustDomain, trust));
  return 0;
}

/** `meshviz uninstall`. */
export async function runUninstall(argv: string[], _env: CliEnv, io: InstallIo = {}): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    (io.out ?? stdout)(`${UNINSTALL_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`meshviz uninstall takes no arguments (got ${positionals.join(' ')})\n\n${UNINSTALL_HELP}`);
  const objects = await renderUninstall(io.kubectl ? { kubectl: io.kubectl } : {});
  (io.out ?? stdout)(formatObjects(objects));
  return 0;
}

/** Without --trust-anchors, what to do so that the viz pods can be injected. */
const ANCHORS_HINT = [
  '  no --trust-anchors: before the viz pods start, copy the trust anchors into meshviz-viz (as into every meshed namespace):',
  '  kubectl create configmap meshviz-identity-trust-anchors -n meshviz-viz \\',
  "    --from-literal=ca-bundle.crt=\"$(kubectl get configmap meshviz-identity-trust-anchors -n meshviz-system -o jsonpath='{.data.ca-bundle\\.crt}')\"",
].join('\n');

/** A PEM bundle of CA certificates, or an error naming the file. */
async function readTrustAnchors(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`--trust-anchors ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (error as Error).message}`);
  }
  const pems = splitPemBundle(text);
  if (pems.length === 0) throw new Error(`--trust-anchors ${file}: holds no PEM certificate`);
  for (const pem of pems) {
    let cert: CertificateSummary;
    try {
      cert = inspectCertificate(pem);
    } catch (error) {
      throw new Error(`--trust-anchors ${file}: ${(error as Error).message}`);
    }
    if (!cert.isCa) throw new Error(`--trust-anchors ${file}: ${cert.subject} is not a CA certificate`);
  }
  return text;
}

function summary(objects: KubeObject[], overlay: Overlay, trustDomain: string, trust: InstallTrust): string {
  const anchor = inspectCertificate(trust.anchorsPem);
  const lines = [
    `meshviz install: ${objects.length} objects (${overlay} overlay), trust domain ${trustDomain}`,
    `  trust anchor ${anchor.subject}, SHA-256 ${anchor.fingerprintSha256}, expires ${anchor.notAfter.toISOString()}`,
  ];
  if (trust.source === 'generated') {
    lines.push(
      '  the anchor was made for this install and its key was not kept: to rotate the issuer later, make your own with',
      '  `meshviz identity init --dir <dir>` and install with --identity-dir <dir>',
    );
  } else {
    lines.push(`  from ${trust.source.dir}`);
  }
  return `${lines.join('\n')}\n`;
}
