import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTROL_ENV, type ControlEnv } from '@meshviz/control/env';
import { createWorkloadTokenKeyText, issueWorkloadToken, TRUST_FILES } from '@meshviz/identity';
import { DEFAULT_TRUST_DOMAIN, parseIdentityName } from '@meshviz/mesh-types';
import { PROXY_ENV, type ProxyEnv } from '@meshviz/proxy/env';
import { binPath } from './components.js';
import type { ReplicaPlan } from './plan.js';
import type { ProcessSpec } from './processes.js';

const HOST = '127.0.0.1';

/** What a run's identity needs on disk: the trust files (kept across runs) and this run's token key and tokens. */
export interface RunIdentity {
  readonly trustDomain: string;
  /** The trust directory: ca.crt, issuer.crt, issuer.key (and ca.key when meshviz made the anchor). */
  readonly trustDir: string;
  readonly anchorsFile: string;
  readonly issuerCertFile: string;
  /** This run's key for workload tokens (only the control plane reads it). */
  readonly tokenKeyFile: string;
  readonly tokenDir: string;
  readonly tokenKey: Buffer;
}

/** Makes this run's token key; the trust files must already exist (ensureTrustFiles). */
export async function prepareRunIdentity(runDir: string, trustDir: string, trustDomain = DEFAULT_TRUST_DOMAIN): Promise<RunIdentity> {
  const tokenDir = path.join(runDir, 'tokens');
  await mkdir(tokenDir, { recursive: true, mode: 0o700 });
  const tokenKeyFile = path.join(runDir, 'token.key');
  const text = createWorkloadTokenKeyText();
  await writeFile(tokenKeyFile, text, { mode: 0o600 });
  return {
    trustDomain,
    trustDir,
    anchorsFile: path.join(trustDir, TRUST_FILES.anchorCert),
    issuerCertFile: path.join(trustDir, TRUST_FILES.issuerCert),
    tokenKeyFile,
    tokenDir,
    tokenKey: Buffer.from(text.trim()),
  };
}

/**
 * Writes the workload token of a replica's service account (one per service account, shared by its replicas, as
 * a Kubernetes service-account token is) and returns its file. Local tokens last as long as the run.
 */
export async function writeWorkloadToken(id: RunIdentity, identity: string): Promise<string> {
  const workload = parseIdentityName(identity);
  if (!workload) throw new Error(`${identity} is not an identity name`);
  const file = path.join(id.tokenDir, `${workload.namespace}.${workload.serviceAccount}.token`);
  const token = issueWorkloadToken(id.tokenKey, { namespace: workload.namespace, serviceAccount: workload.serviceAccount });
  await writeFile(file, token, { mode: 0o600 });
  return file;
}

/** The PROXY_IDENTITY_* variables of one replica's proxy. */
export function proxyIdentityEnv(id: RunIdentity, r: ReplicaPlan, tokenFile: string, identityAddr: string): ProxyEnv {
  return {
    [PROXY_ENV.identityLocalName]: r.identity,
    [PROXY_ENV.identitySvcAddr]: identityAddr,
    [PROXY_ENV.identityTrustAnchorsFile]: id.anchorsFile,
    [PROXY_ENV.identityTokenFile]: tokenFile,
  };
}

/** The control plane: the identity, policy and destination services, and its admin server that Prometheus scrapes and /ready answers on. */
export function controlProcess(
  id: RunIdentity,
  ports: { identity: number; admin: number; policy: number; destination: number },
  policy: { workloadsFile: string; dir: string; destinationsFile: string; compiledDestinationsFile: string },
  parentPid: string,
  host = HOST,
): ProcessSpec {
  return {
    name: 'meshviz-system/control',
    command: process.execPath,
    args: [binPath('@meshviz/control', 'meshviz-control')],
    env: {
      [CONTROL_ENV.identityListenAddr]: `${host}:${ports.identity}`,
      [CONTROL_ENV.adminListenAddr]: `${host}:${ports.admin}`,
      [CONTROL_ENV.trustDomain]: id.trustDomain,
      [CONTROL_ENV.identityDir]: id.trustDir,
      [CONTROL_ENV.tokenValidator]: 'local',
      [CONTROL_ENV.localTokenKeyFile]: id.tokenKeyFile,
      [CONTROL_ENV.policyListenAddr]: `${host}:${ports.policy}`,
      [CONTROL_ENV.policyWorkloadsFile]: policy.workloadsFile,
      [CONTROL_ENV.policyDir]: policy.dir,
      [CONTROL_ENV.destinationListenAddr]: `${host}:${ports.destination}`,
      [CONTROL_ENV.destinationBaseFile]: policy.destinationsFile,
      [CONTROL_ENV.destinationPublishFile]: policy.compiledDestinationsFile,
      [CONTROL_ENV.parentPid]: parentPid,
    } satisfies ControlEnv,
  };
}

