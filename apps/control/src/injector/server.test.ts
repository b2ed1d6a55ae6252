import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { kubeConfigFor } from '@meshviz/kube';
import { ListWatchStandIn } from '@meshviz/kube/testing';
import { namespace } from '@meshviz/kube/testing/objects';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog, eventually } from '../testing/capture-log.js';
import { TEST_SETTINGS } from '../testing/injector-settings.js';
import { opensslServerCert } from '../testing/openssl.js';
import { type Injector, startInjector } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let api: ListWatchStandIn;
let injector: Injector;
let ca: Buffer;

interface Answer {
  response: { uid: string; allowed: boolean; patch?: string; patchType?: string };
  error: { message: string };
}

function post(pathname: string, body: string, method = 'POST', trust: Buffer = ca): Promise<{ status: number; json: Answer; fingerprint: string }> {
  const [host, port] = [injector.address.slice(0, injector.address.lastIndexOf(':')), Number(injector.address.split(':').at(-1))];
  return new Promise((resolve, reject) => {
    const req = https.request({ host, port, path: pathname, method, ca: trust, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')), fingerprint }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'meshviz-injector-'));
  await mkdir(path.join(dir, 'serving'));
  const { certFile, keyFile } = await opensslServerCert(path.join(dir, 'serving'));
  ca = await readFile(certFile);
  api = await ListWatchStandIn.start();
  api.put('/api/v1/namespaces', namespace('shop', { 'meshviz.io/inject': 'enabled' }));
  api.put('/api/v1/namespaces', namespace('billing'));
  injector = await startInjector(
    { listen: { host: '127.0.0.1', port: 0 }, certFile, keyFile, settings: TEST_SETTINGS, certPollMs: 100 },
    { kc: kubeConfigFor({ apiUrl: api.url }), trustAnchors: () => 'anchors', log: captureLog().log },
  );
});

afterAll(async () => {
  await injector?.close();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the injector webhook over HTTPS', () => {
  it('patches a pod of a namespace the cached lister says is enabled, and follows the namespace as it changes', async () => {
    expect(injector.ready()).toBe(true);
    const request = await readFile(path.join(here, 'testdata', 'deployment-pod.request.json'), 'utf8');
    const first = await post('/inject', request);
    expect(first.status).toBe(200);
    expect(first.json.response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
    const ops = JSON.parse(Buffer.from(first.json.response.patch ?? "", 'base64').toString('utf8'));
    expect(ops.some((op: { path: string }) => op.path === '/spec/initContainers')).toBe(true);

    api.put('/api/v1/namespaces', namespace('shop', { 'meshviz.io/inject': 'disabled' }));
    const after = await eventually(async () => {
      const answer = await post('/inject', request);
      return answer.json.response.patch === undefined ? answer : undefined;
    }, 'the namespace change to reach the injector');
    expect(after.json.response).toEqual({ uid: '2b7d1c3e-0001-4a6b-9c8d-000000000001', allowed: true });
  });

  it('answers 400 with a message for bad input, 404 and 405 for other paths and methods', async () => {
    const notJson = await post('/inject', '{not json');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.message).toMatch(/not JSON/);
    const wrongKind = await post('/inject', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'Pod' }));
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json.error.message).toContain('kind: must be "AdmissionReview"');
    const wrongVersion = await post('/inject', JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: {} }));
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.json.error.message).toContain('apiVersion: must be "admission.k8s.io/v1"');
    expect((await post('/mutate', '{}')).status).toBe(404);
    expect((await post('/inject', '', 'GET')).status).toBe(405);
  });

  it('takes a renewed serving certificate without a restart, and keeps it when the files turn bad', async () => {
    const before = await post('/inject', '{}');
    await mkdir(path.join(dir, 'renewed'));
    const renewed = await opensslServerCert(path.join(dir, 'renewed'));
    const renewedCa = await readFile(renewed.certFile);
    await copyFile(renewed.keyFile, path.join(dir, 'serving', 'apiserver.key'));
    await copyFile(renewed.certFile, path.join(dir, 'serving', 'apiserver.crt'));
    const after = await eventually(async () => {
      const answer = await post('/inject', '{}', 'POST', renewedCa).catch(() => undefined);
      return answer && answer.fingerprint !== before.fingerprint ? answer : undefined;
    }, 'the renewed certificate');
    expect(after.status).toBe(400);
    await copyFile(path.join(here, 'testdata', 'trust-anchors.pem'), path.join(dir, 'serving', 'apiserver.key'));
    await new Promise((r) => setTimeout(r, 300));
    expect((await post('/inject', '{}', 'POST', renewedCa)).fingerprint).toBe(after.fingerprint);
  });
});
