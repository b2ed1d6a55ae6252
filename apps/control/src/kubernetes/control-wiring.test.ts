import { readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListWatchStandIn } from '@meshviz/kube/testing';
import { endpointSlice, namespace, pod, service } from '@meshviz/kube/testing/objects';
import { serviceAuthority } from '@meshviz/mesh-types';
import { afterEach, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { startControl } from '../control.js';
import { captureLog, eventually } from '../testing/capture-log.js';
import { opensslServerCert } from '../testing/openssl.js';
import { openDestinationStream, workloadCert } from '../testing/stream-client.js';
import { makeTrustFixture } from '../testing/trust-dir.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function postJson(address: string, pathname: string, body: string, ca: Buffer): Promise<{ status: number; body: string }> {
  const i = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const req = https.request({ host: address.slice(0, i), port: Number(address.slice(i + 1)), path: pathname, method: 'POST', ca, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

it('starts the control plane from its environment with CONTROL_SOURCE=kubernetes and the injector, and stops every watch on shutdown', async () => {
  const fx = await makeTrustFixture('cluster.local');
  cleanups.push(() => fx.cleanup());
  const api = await ListWatchStandIn.start({ token: 'control-token' });
  cleanups.push(() => api.close());
  api.put('/api/v1/namespaces', namespace('shop', { 'meshviz.io/inject': 'enabled' }));
  api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-1', ip: '10.1.0.11', serviceAccount: 'web', meshed: true, ports: [{ name: 'http', containerPort: 8080 }] }));
  api.put('/api/v1/services', service({ namespace: 'shop', name: 'web', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
  api.put('/apis/discovery.k8s.io/v1/endpointslices', endpointSlice({ namespace: 'shop', service: 'web', ports: [{ name: 'http', port: 8080 }], endpoints: [{ ip: '10.1.0.11', pod: 'web-1' }] }));
  const { certFile, keyFile } = await opensslServerCert(fx.root);
  const tokenFile = path.join(fx.root, 'sa-token');
  await writeFile(tokenFile, 'control-token');

  const config = parseConfig({
    CONTROL_IDENTITY_DIR: fx.dir,
    CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: fx.tokenKeyFile,
    CONTROL_IDENTITY_LISTEN_ADDR: '127.0.0.1:0',
    CONTROL_ADMIN_LISTEN_ADDR: '127.0.0.1:0',
    CONTROL_SOURCE: 'kubernetes',
    CONTROL_KUBERNETES_API_URL: api.url,
    CONTROL_KUBERNETES_TOKEN_FILE: tokenFile,
    CONTROL_DESTINATION_LISTEN_ADDR: '127.0.0.1:0',
    CONTROL_POLICY_LISTEN_ADDR: '127.0.0.1:0',
    CONTROL_INJECTOR_LISTEN_ADDR: '127.0.0.1:0',
    CONTROL_INJECTOR_TLS_CERT_FILE: certFile,
    CONTROL_INJECTOR_TLS_KEY_FILE: keyFile,
    CONTROL_INJECTOR_PROXY_IMAGE: 'registry.example/meshviz/proxy:0.1.0',
  });
  const control = await startControl(config, { log: captureLog().log });
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) await control.shutdown();
  });
  expect(Object.keys(control.addresses).sort()).toEqual(['admin', 'destination', 'identity', 'injector', 'policy']);
  await eventually(() => (control.ready() ? true : undefined), 'the control plane to be ready');

  const cert = await workloadCert(fx.issuer, { serviceAccount: 'web', namespace: 'shop', trustDomain: 'cluster.local' });
  const stream = await openDestinationStream(control.addresses.destination!, { anchorsPem: fx.anchor.certPem, trustDomain: 'cluster.local', cert });
  cleanups.push(() => stream.close());
  await eventually(() => stream.messages.find((m) => m.type === 'destinations'), 'the first table');
  const table = stream.messages.find((m) => m.type === 'destinations');
  expect(table?.type === 'destinations' && table.destinations.services[serviceAuthority('web', 'shop')]?.endpoints.map((e) => e.addr)).toEqual([
    '10.1.0.11:8080',
  ]);

  const request = await readFile(path.join(here, '..', 'injector', 'testdata', 'deployment-pod.request.json'), 'utf8');
  const answer = await postJson(control.addresses.injector!, '/inject', request, await readFile(certFile));
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body).response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
  expect(api.requests.every((r) => r.authorization === 'Bearer control-token')).toBe(true);

  stream.close();
  await control.shutdown();
  stopped = true;
  await eventually(() => (['/api/v1/pods', '/api/v1/namespaces', '/api/v1/services'].every((p) => api.watchCount(p) === 0) ? true : undefined), 'every watch to close');
});
