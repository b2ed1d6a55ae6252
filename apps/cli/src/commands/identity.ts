import { parseArgs } from 'node:util';
import { assertTrustDomain } from '@meshviz/identity';
import { DEFAULT_TRUST_DOMAIN } from '@meshviz/mesh-types';
import type { CliEnv } from '../config.js';
import { defaultIdentityDir, type InitResult, initTrustFiles, readAnchorFiles } from '../identity/trust-dir.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: meshviz identity init [options]

Writes the trust files of the mesh's identity service: a trust anchor (root CA) and an issuer (intermediate CA),
both ECDSA P-256, valid 365 days: ca.crt, ca.key, issuer.crt, issuer.key.

Options:
      --dir <dir>             trust directory (default: $MESHVIZ_HOME/identity, MESHVIZ_HOME defaulting to ~/.meshviz)
      --trust-domain <td>     trust domain of the mesh's identities (default ${DEFAULT_TRUST_DOMAIN})
      --anchor-cert <file>    bring your own trust anchor: its certificate (PEM)...
      --anchor-key <file>     ...and its private key (PEM, P-256); only an issuer is made, and the anchor key
                              is not copied into the trust directory
      --force                 replace trust files that already exist
  -h, --help                  show this help

To bring both anchor and issuer, place ca.crt, issuer.crt and issuer.key (and ca.key if you like) in the trust
directory yourself; meshviz up and the identity service check that they fit together.`;

/** `meshviz identity <subcommand>`: today only `init`. */
export async function runIdentity(argv: string[], env: CliEnv): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    process.stdout.write(`${HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'init') throw new UsageError(`unknown identity command "${sub}"\n\n${HELP}`);
  return runInit(rest, env);
}

async function runInit(argv: string[], env: CliEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      'trust-domain': { type: 'string', default: DEFAULT_TRUST_DOMAIN },
      'anchor-cert': { type: 'string' },
      'anchor-key': { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`meshviz identity init takes no arguments (got ${positionals.join(' ')})`);
  const trustDomain = values['trust-domain'];
  try {
    assertTrustDomain(trustDomain);
  } catch {
    throw new UsageError(`--trust-domain "${trustDomain}" is not a lower-case DNS name such as ${DEFAULT_TRUST_DOMAIN}`);
  }
  const certFile = values['anchor-cert'];
  const keyFile = values['anchor-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError('--anchor-cert and --anchor-key go together: the issuer is signed with the anchor key');
  }
  if (values.dir === '') throw new UsageError('--dir must not be empty');

  const anchor = certFile && keyFile ? await readAnchorFiles(certFile, keyFile) : undefined;
  const dir = values.dir ?? defaultIdentityDir(env);
  const result = await initTrustFiles({ dir, trustDomain, force: values.force, ...(anchor ? { anchor } : {}) });
  process.stdout.write(report(result, anchor !== undefined));
  return 0;
}

function report(result: InitResult, ownAnchor: boolean): string {
  const lines = ['Wrote:', ...result.written.map((file) => `  ${file}`)];
  if (ownAnchor) lines.push('  (your anchor key was not copied; keep it to make the next issuer)');
  lines.push(
    '',
    `Trust anchor  ${result.anchor.subject}`,
    `  SHA-256 fingerprint  ${result.anchor.fingerprintSha256}`,
    `  expires              ${result.anchor.notAfter.toISOString()}`,
    `Issuer        ${result.issuer.subject}`,
    `  expires              ${result.issuer.notAfter.toISOString()}`,
  );
  return `${lines.join('\n')}\n`;
}
