import { readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import tls from 'node:tls';
import { createTrustAnchor, issueWorkloadToken, startCertifier } from '@meshviz/identity';
import { ListWatchStandIn } from '@meshviz/kube/testing';
import { namespace } from '@meshviz/kube/testing/objects';
import {
  DESTINATION_STREAM_PATH,
  DestinationStreamMessage,
  type DestinationsFile,
  destinationServiceName,
  identityName,
  identityServiceName,
  POLICY_STREAM_PATH,
  PolicyStreamMessage,
  type PolicyWorkloads,
  serviceAuthority,
} from '@meshviz/mesh-types';
import { parseHostPort } from '@meshviz/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './testing/capture-log.js';
import { type Addresses, type ControlProcess, spawnControl } from './testing/control-process.js';
import { opensslServerCert } from './testing/openssl.js';
import { type ClientCert, openStream } from './testing/stream-client.js';
import { makeTrustFixture, type TrustFixture } from './testing/trust-dir.js';

const trustDomain = 'cluster.local';
const DESTINATION_ID = destinationServiceName(trustDomain);
const web = { serviceAccount: 'web', namespace: 'shop', trustDomain };

const WORKLOADS: PolicyWorkloads = {
  trustDomain,
  clusterNetworks: ['127.0.0.0/8'],
  workloads: [
    { namespace: 'shop', name: 'web', serviceAccount: 'web', labels: { app: 'web' }, ports: [{ port: 8080, name: 'http' }], probePaths: ['/healthz'], defaultPolicy: 'all-unauthenticated' },
  ],
};
const WEB = serviceAuthority('web', 'shop');
const BASE: DestinationsFile = {
  services: {
    [WEB]: {
      namespace: 'shop',
      service: 'web',
      endpoints: [{ addr: '127.0.0.1:41001', namespace: 'shop', deployment: 'web', pod: 'web-0', identity: identityName(web) }],
      routes: [{ name: 'GET /', method: 'GET', path: '/' }],
    },
  },
};

let fx: TrustFixture;
const processes: ControlProcess[] = [];
beforeAll(async () => {
  fx = await makeTrustFixture(trustDomain);
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await fx?.cleanup();
});

function start(env: Record<string, string>): ControlProcess {
  const control = spawnControl({ CONTROL_ADMIN_LISTEN_ADDR: '127.0.0.1:0', CONTROL_LOG_LEVEL: 'debug', ...env });
  processes.push(control);
  return control;
}

const status = async (admin: string, path: string) => (await fetch(`http://${admin}${path}`)).status;

/** A workload certified through the identity process exactly as a proxy is, with the shared certify client. */
async function certifyWorkload(identityAddr: string): Promise<ClientCert> {
  return new Promise((resolve, reject) => {
    const certifier = startCertifier({
      identity: web,
      service: { addr: parseHostPort(identityAddr)!, name: identityServiceName(trustDomain) },
      token: async () => issueWorkloadToken(fx.tokenKey, web),
      anchors: async () => fx.anchor.certPem,
      onCertified: ({ keyPem, chainPem }) => {
        certifier.stop();
        resolve({ keyPem, certPem: chainPem });
      },
      onFailure: (error) => {
        certifier.stop();
        reject(error);
      },
    });
  });
}

/** The SHA-256 fingerprint and DNS names of the certificate a listener presents to a mesh client. */
function presented(address: string, cert: ClientCert): Promise<{ fingerprint: string; names: string }> {
  const { host, port } = parseHostPort(address)!;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ca: fx.anchor.certPem, key: cert.keyPem, cert: cert.certPem, servername: DESTINATION_ID, minVersion: 'TLSv1.3' }, () => {
      const peer = socket.getPeerCertificate();
      socket.destroy();
      resolve({ fingerprint: peer.fingerprint256, names: peer.subjectaltname ?? '' });
    });
    socket.on('error', reject);
  });
}

describe('the control plane split into processes', () => {
  let identity: ControlProcess;
  let identityAddrs: Addresses;
  beforeAll(async () => {
    identity = start({
      CONTROL_SERVICES: 'identity',
      CONTROL_IDENTITY_LISTEN_ADDR: '127.0.0.1:0',
      CONTROL_IDENTITY_DIR: fx.dir,
      CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: fx.tokenKeyFile,
      // Short leaves: the destination process renews its own at 10.5 s.
      CONTROL_IDENTITY_LEAF_LIFETIME: '15s',
    });
    identityAddrs = await identity.started();
    await eventually(async () => ((await status(identityAddrs.admin, '/ready')) === 200 ? true : undefined), 'the identity process to be ready');
  }, 60_000);

  it('runs only identity when told so: no policy, destination or injector listener', () => {
    expect(Object.keys(identityAddrs).sort()).toEqual(['admin', 'identity']);
  });

  it('runs policy and destination without the issuer, certified through the identity process, serving proxies over mutual TLS and renewing', async () => {
    const anchorsFile = join(fx.root, 'ca-bundle.crt');
    await writeFile(anchorsFile, fx.anchor.certPem);
    const tokenFile = join(fx.root, 'destination-token');
    const workloadsFile = join(fx.root, 'workloads.json');
    await writeFile(workloadsFile, JSON.stringify(WORKLOADS));
    const baseFile = join(fx.root, 'destinations.json');
    await writeFile(baseFile, JSON.stringify(BASE));
    await rm(tokenFile, { force: true });

    const destination = start({
      CONTROL_SERVICES: 'destination,policy',
      CONTROL_IDENTITY_SVC_ADDR: identityAddrs.identity!,
      CONTROL_IDENTITY_TOKEN_FILE: tokenFile,
      CONTROL_TRUST_ANCHORS_FILE: anchorsFile,
      CONTROL_POLICY_LISTEN_ADDR: '127.0.0.1:0',
      CONTROL_POLICY_WORKLOADS_FILE: workloadsFile,
      CONTROL_DESTINATION_LISTEN_ADDR: '127.0.0.1:0',
      CONTROL_DESTINATION_BASE_FILE: baseFile,
    });
    const addrs = await destination.started();
    expect(Object.keys(addrs).sort()).toEqual(['admin', 'destination', 'policy']);
    // No token yet: not certified, not ready, retrying with backoff.
    await eventually(() => destination.logs.find((e) => e.msg === 'not certified yet'), 'a failed attempt');
    expect(await status(addrs.admin, '/ready')).toBe(503);
    expect(await status(addrs.admin, '/live')).toBe(200);

    await writeFile(tokenFile, `${issueWorkloadToken(fx.tokenKey, { namespace: 'meshviz-system', serviceAccount: 'destination' })}\n`);
    await eventually(async () => ((await status(addrs.admin, '/ready')) === 200 ? true : undefined), 'the destination process to be certified', 15_000);
    const started = destination.logs.find((e) => e.msg === 'control plane started');
    expect(started).toMatchObject({ certifiedAs: DESTINATION_ID, anchorsFile });

    // A proxy certified by the same identity service reads both streams; both listeners present the process' identity.
    const cert = await certifyWorkload(identityAddrs.identity!);
    const opts = { anchorsPem: fx.anchor.certPem, cert };
    const policy = await openStream(addrs.policy!, `${POLICY_STREAM_PATH}/shop/web`, DESTINATION_ID, PolicyStreamMessage, opts);
    const table = await openStream(addrs.destination!, DESTINATION_STREAM_PATH, DESTINATION_ID, DestinationStreamMessage, opts);
    try {
      expect([policy.status, table.status]).toEqual([200, 200]);
      expect(policy.serverNames).toEqual([DESTINATION_ID]);
      expect(table.serverNames).toEqual([DESTINATION_ID]);
      const first = await eventually(() => policy.messages.find((m) => m.type === 'policy'), 'the policy');
      expect(first.type === 'policy' && first.policy.workload).toEqual({ namespace: 'shop', name: 'web' });
      const destinations = await eventually(() => table.messages.find((m) => m.type === 'destinations'), 'the table');
      expect(destinations.type === 'destinations' && destinations.destinations.services[WEB]?.endpoints[0]?.addr).toBe('127.0.0.1:41001');
    } finally {
      policy.close();
      table.close();
    }
    // Without a client certificate of the mesh, no handshake.
    await expect(openStream(addrs.policy!, `${POLICY_STREAM_PATH}/shop/web`, DESTINATION_ID, PolicyStreamMessage, { anchorsPem: fx.anchor.certPem })).rejects.toThrow();

    // Renewal at 70 % of the 15 s leaf: a new certificate on both listeners without a restart.
    const before = await presented(addrs.destination!, cert);
    expect(before.names).toBe(`DNS:${DESTINATION_ID}, URI:spiffe://${trustDomain}/ns/meshviz-system/sa/destination`);
    await eventually(() => (destination.logs.filter((e) => e.msg === 'serving certificate certified').length >= 2 ? true : undefined), 'a renewal', 20_000);
    const after = await presented(addrs.destination!, cert);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect((await presented(addrs.policy!, cert)).fingerprint).toBe(after.fingerprint);

    // The issuer was never this process' to read: no trust directory, no issuer, no token validator.
    const logged = JSON.stringify(destination.logs);
    expect(logged).not.toContain(fx.dir);
    expect(destination.logs.some((e) => e.msg === 'trust files loaded')).toBe(false);
    expect(started).not.toHaveProperty('tokenValidator');
    expect(identity.logs.filter((e) => e.msg === 'certified' && e.identity === DESTINATION_ID).length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('refuses a listed service without its settings, exiting 2 with one line naming them', async () => {
    const bad = start({ CONTROL_SERVICES: 'destination,policy', CONTROL_SOURCE: 'kubernetes', CONTROL_KUBERNETES_API_URL: 'https://127.0.0.1:1', CONTROL_IDENTITY_DIR: fx.dir });
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toMatch(/^meshviz-control: CONTROL_IDENTITY_DIR: is a setting of identity, which this process does not run \(CONTROL_SERVICES is destination,policy\); unset it/);
    expect(bad.stderr()).toContain('CONTROL_IDENTITY_SVC_ADDR: is required');
  }, 30_000);
});

describe('the injector alone', () => {
  it('needs no issuer: it writes the anchors file into pods, and follows it when the anchors rotate', async () => {
    const api = await ListWatchStandIn.start({ token: 'injector-token' });
    try {
      api.put('/api/v1/namespaces', namespace('shop', { 'meshviz.io/inject': 'enabled' }));
      const kubeToken = join(fx.root, 'injector-sa-token');
      await writeFile(kubeToken, 'injector-token');
      const { certFile, keyFile } = await opensslServerCert(fx.root);
      const anchorsFile = join(fx.root, 'injector-ca-bundle.crt');
      await writeFile(anchorsFile, fx.anchor.certPem);
      const injector = start({
        CONTROL_SERVICES: 'injector',
        CONTROL_TRUST_ANCHORS_FILE: anchorsFile,
        CONTROL_IDENTITY_POLL_INTERVAL: '1s',
        CONTROL_KUBERNETES_API_URL: api.url,
        CONTROL_KUBERNETES_TOKEN_FILE: kubeToken,
        CONTROL_INJECTOR_LISTEN_ADDR: '127.0.0.1:0',
        CONTROL_INJECTOR_TLS_CERT_FILE: certFile,
        CONTROL_INJECTOR_TLS_KEY_FILE: keyFile,
        CONTROL_INJECTOR_PROXY_IMAGE: 'registry.example/meshviz/proxy:0.1.0',
      });
      const addrs = await injector.started();
      expect(Object.keys(addrs).sort()).toEqual(['admin', 'injector']);
      await eventually(async () => ((await status(addrs.admin, '/ready')) === 200 ? true : undefined), 'the injector to be ready');

      const request = await readFile(join(import.meta.dirname, 'injector', 'testdata', 'deployment-pod.request.json'), 'utf8');
      const ca = await readFile(certFile);
      const anchorsOf = async () => {
        const answer = JSON.parse(await post(addrs.injector!, request, ca)) as { response: { patch?: string } };
        const ops = JSON.parse(Buffer.from(answer.response.patch ?? '', 'base64').toString('utf8')) as { path: string; value: unknown }[];
        const env = JSON.stringify(ops);
        const match = /"name":"PROXY_IDENTITY_TRUST_ANCHORS","value":"((?:[^"\\]|\\.)*)"/.exec(env);
        return { anchors: match ? (JSON.parse(`"${match[1]}"`) as string) : undefined, env };
      };
      const first = await anchorsOf();
      expect(first.anchors).toBe(fx.anchor.certPem);
      expect(first.env).toContain(`"name":"PROXY_POLICY_SVC_NAME","value":"${DESTINATION_ID}"`);

      const next = await createTrustAnchor({ trustDomain });
      await writeFile(anchorsFile, `${fx.anchor.certPem}${next.certPem}`);
      await eventually(async () => ((await anchorsOf()).anchors === `${fx.anchor.certPem}${next.certPem}` ? true : undefined), 'the rotated bundle in new pods');
      expect(injector.logs.some((e) => e.msg === 'trust files loaded')).toBe(false);
      expect(api.requests.every((r) => r.authorization === 'Bearer injector-token')).toBe(true);
      await injector.stop();
      expect(await injector.exited).toBe(0);
    } finally {
      await api.close();
    }
  }, 60_000);
});

function post(address: string, body: string, ca: Buffer): Promise<string> {
  const { host, port } = parseHostPort(address)!;
  return new Promise((resolve, reject) => {
    const req = https.request({ host, port, path: '/inject', method: 'POST', ca, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}
