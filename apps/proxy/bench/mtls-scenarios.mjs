// The mesh hop with mTLS, beside the same hop in plaintext, for meshviz and for HAProxy as the reference: an
// outbound side that opens mutual TLS to an inbound side that terminates it, both pinned to the proxy CPU.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createCsr,
  createIssuer,
  createTrustAnchor,
  createWorkloadTokenKeyText,
  issueWorkloadToken,
  signLeaf,
  writeTrustFiles,
} from '@meshviz/identity';
import { identityName } from '@meshviz/mesh-types';
import { LOAD_CPU } from './load.mjs';
import { freePort, startPinned } from './processes.mjs';
import { haproxy, meshvizProxy, PROXY_CPU, SERVICE } from './scenarios.mjs';

const CONTROL_BIN = fileURLToPath(new URL('../../control/dist/main.js', import.meta.url));
const TRUST_DOMAIN = 'cluster.local';
const id = (serviceAccount) => identityName({ serviceAccount, namespace: 'bench', trustDomain: TRUST_DOMAIN });

// Generous: the control plane starts on the load CPU, which other work on a shared machine may keep busy.
async function waitReady(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A trust anchor and issuer, and the real control plane's identity service on the load CPU (it is not measured). */
async function startIdentity() {
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-identity-'));
  const anchor = await createTrustAnchor({ trustDomain: TRUST_DOMAIN });
  const issuer = await createIssuer(anchor, { trustDomain: TRUST_DOMAIN });
  const trustDir = join(dir, 'trust');
  await writeTrustFiles(trustDir, { anchor, issuer });
  const keyText = createWorkloadTokenKeyText();
  writeFileSync(join(dir, 'token.key'), keyText, { mode: 0o600 });
  const [identityPort, adminPort] = [await freePort(), await freePort()];
  const control = await startPinned('control', LOAD_CPU, process.execPath, [CONTROL_BIN], {
    env: {
      CONTROL_IDENTITY_LISTEN_ADDR: `127.0.0.1:${identityPort}`,
      CONTROL_ADMIN_LISTEN_ADDR: `127.0.0.1:${adminPort}`,
      CONTROL_IDENTITY_DIR: trustDir,
      CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: join(dir, 'token.key'),
      CONTROL_LOG_LEVEL: 'warn',
    },
  });
  await waitReady(`http://127.0.0.1:${adminPort}/ready`);
  const proxyEnv = (serviceAccount) => {
    const tokenFile = join(dir, `${serviceAccount}.token`);
    writeFileSync(tokenFile, issueWorkloadToken(Buffer.from(keyText.trim()), { namespace: 'bench', serviceAccount }));
    return {
      PROXY_IDENTITY_LOCAL_NAME: id(serviceAccount),
      PROXY_IDENTITY_SVC_ADDR: `127.0.0.1:${identityPort}`,
      PROXY_IDENTITY_TRUST_ANCHORS_FILE: join(trustDir, 'ca.crt'),
      PROXY_IDENTITY_TOKEN_FILE: tokenFile,
    };
  };
  /** A leaf for `serviceAccount` as one PEM file (chain, then key), the way HAProxy takes it. */
  const haproxyPem = async (serviceAccount) => {
    const workload = { serviceAccount, namespace: 'bench', trustDomain: TRUST_DOMAIN };
    const { keyPem, csrPem } = await createCsr(workload);
    const leaf = await signLeaf(issuer, csrPem, { identity: workload });
    const file = join(dir, `${serviceAccount}.pem`);
    writeFileSync(file, `${leaf.certPem.trim()}\n${issuer.certPem.trim()}\n${keyPem.trim()}\n`, { mode: 0o600 });
    return file;
  };
  return {
    anchorsFile: join(trustDir, 'ca.crt'),
    proxyEnv,
    haproxyPem,
    stop: async () => {
      await control.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The hop: two HAProxies, the first speaking to the second in plaintext or mutual TLS (ALPN-mirrored protocol). */
function hopConfigs({ h1Port, h2Port, hopH1, hopH2, backendPort, tls }) {
  const defaults = `global\n  nbthread 1\ndefaults\n  mode http\n  timeout client 30s\n  timeout server 30s\n  timeout connect 5s\n  http-reuse always\n`;
  const out = (alpn) =>
    tls
      ? ` ssl crt ${tls.clientPem} ca-file ${tls.anchorsFile} verify required sni str(${id('backend')}) verifyhost ${id('backend')} alpn ${alpn}`
      : '';
  const first = `${defaults}frontend h1\n  bind 127.0.0.1:${h1Port}\n  default_backend h1\nfrontend h2\n  bind 127.0.0.1:${h2Port} proto h2\n  default_backend h2\nbackend h1\n  server hop 127.0.0.1:${hopH1}${out('http/1.1')}\nbackend h2\n  server hop 127.0.0.1:${tls ? hopH1 : hopH2}${out('h2')}${tls ? '' : ' proto h2'}\n`;
  const second = tls
    ? `${defaults}frontend hop\n  bind 127.0.0.1:${hopH1} ssl crt ${tls.serverPem} ca-file ${tls.anchorsFile} verify required alpn h2,http/1.1\n  use_backend h2 if { ssl_fc_alpn h2 }\n  default_backend h1\nbackend h1\n  server backend 127.0.0.1:${backendPort}\nbackend h2\n  server backend 127.0.0.1:${backendPort} proto h2\n`
    : `${defaults}frontend h1\n  bind 127.0.0.1:${hopH1}\n  default_backend h1\nfrontend h2\n  bind 127.0.0.1:${hopH2} proto h2\n  default_backend h2\nbackend h1\n  server backend 127.0.0.1:${backendPort}\nbackend h2\n  server backend 127.0.0.1:${backendPort} proto h2\n`;
  return { first, second };
}

async function haproxyHop(backend, withTls) {
  const identity = withTls ? await startIdentity() : null;
  const tls = identity
    ? { anchorsFile: identity.anchorsFile, clientPem: await identity.haproxyPem('client'), serverPem: await identity.haproxyPem('backend') }
    : null;
  const [h1Port, h2Port, hopH1, hopH2] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const backendPort = Number(backend.addr.split(':')[1]);
  const configs = hopConfigs({ h1Port, h2Port, hopH1, hopH2, backendPort, tls });
  const second = await haproxy('haproxy-in', PROXY_CPU, configs.second, withTls ? [hopH1] : [hopH1, hopH2]);
  const first = await haproxy('haproxy-out', PROXY_CPU, configs.first, [h1Port, h2Port]);
  return {
    h1: `127.0.0.1:${h1Port}`,
    h2: `127.0.0.1:${h2Port}`,
    host: SERVICE,
    measured: [first.pid, second.pid],
    stop: async () => {
      await first.stop();
      await second.stop();
      await identity?.stop();
    },
  };
}

export const MTLS_SCENARIOS = {
  'two-proxies-mtls': async (backend) => {
    const identity = await startIdentity();
    const inbound = await meshvizProxy('inbound', { PROXY_INBOUND_FORWARD_ADDR: backend.addr, ...identity.proxyEnv('backend') });
    const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-'));
    const file = join(dir, 'destinations.json');
    const endpoint = { addr: inbound.addresses.inbound, namespace: 'bench', deployment: 'backend', pod: 'backend-0', identity: id('backend') };
    writeFileSync(file, JSON.stringify({ services: { [SERVICE]: { namespace: 'bench', service: 'backend', endpoints: [endpoint] } } }));
    const outbound = await meshvizProxy('outbound', { PROXY_DESTINATIONS_FILE: file, ...identity.proxyEnv('client') });
    // "proxy ready" is logged when the listeners are up; mTLS needs the certificates too.
    await Promise.all([inbound, outbound].map((p) => waitReady(`http://${p.addresses.admin}/ready`)));
    return {
      h1: outbound.addresses.outbound,
      h2: outbound.addresses.outbound,
      host: SERVICE,
      measured: [outbound.pid, inbound.pid],
      stop: async () => {
        await outbound.stop();
        await inbound.stop();
        await identity.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  'haproxy-hop': (backend) => haproxyHop(backend, false),
  'haproxy-hop-tls': (backend) => haproxyHop(backend, true),
};

