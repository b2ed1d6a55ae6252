import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kubeConfigFor } from '@meshviz/kube';
import { ListWatchStandIn } from '@meshviz/kube/testing';
import { pod } from '@meshviz/kube/testing/objects';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { parseConfig } from '../config.js';
import { kubernetesResolver } from './kubernetes-resolver.js';

const PODS = '/api/v1/pods';
let api: ListWatchStandIn;

beforeEach(async () => {
  api = await ListWatchStandIn.start();
});
afterEach(async () => {
  await api.close();
});

const meshed = (name: string, ip: string) =>
  pod({ namespace: 'shop', name, ip, labels: { 'pod-template-hash': '7c9d8f6b5' }, replicaSet: 'web-7c9d8f6b5', meshed: true });

async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('tap targets from Kubernetes pods (API_TAP_SOURCE=kubernetes)', () => {
  it('finds running meshed pods at their proxy tap port, follows the cluster, and stops watching on close', async () => {
    api.put(PODS, meshed('web-7c9d8f6b5-aaaaa', '10.1.0.11'));
    api.put(PODS, pod({ namespace: 'shop', name: 'plain', ip: '10.1.0.30' }));
    api.put(PODS, pod({ namespace: 'other', name: 'db-0', ip: '10.1.0.40', meshed: true }));
    const resolver = kubernetesResolver(kubeConfigFor({ apiUrl: api.url }), pino({ level: 'silent' }));
    await resolver.start();
    expect(await resolver.resolve('shop')).toEqual([{ namespace: 'shop', deployment: 'web', pod: 'web-7c9d8f6b5-aaaaa', tapAddr: '10.1.0.11:4190' }]);

    api.put(PODS, meshed('web-7c9d8f6b5-bbbbb', '10.1.0.12'));
    await until(async () => ((await resolver.resolve('shop', 'web')).length === 2 ? true : undefined), 'the new pod');
    api.remove(PODS, 'web-7c9d8f6b5-aaaaa', 'shop');
    await until(async () => ((await resolver.resolve('shop')).length === 1 ? true : undefined), 'the deleted pod to leave');
    expect(await resolver.resolve('shop', 'web', 'web-7c9d8f6b5-bbbbb')).toHaveLength(1);
    expect(await resolver.resolve('shop', 'other')).toEqual([]);

    await resolver.stop();
    await until(async () => (api.watchCount(PODS) === 0 ? true : undefined), 'the watch to close');
  });

  it('is what the app uses with API_TAP_SOURCE=kubernetes: watching pods from ready to close, with the token file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-api-kube-'));
    try {
      writeFileSync(path.join(dir, 'token'), 'api-token');
      const env = { API_TAP_SOURCE: 'kubernetes', API_KUBERNETES_API_URL: api.url, API_KUBERNETES_TOKEN_FILE: path.join(dir, 'token') };
      const app = buildApp({ config: { ...parseConfig(env), logLevel: 'silent' } });
      await app.ready();
      expect(api.watchCount(PODS)).toBe(1);
      expect(api.requests.map((r) => r.authorization)).toEqual(['Bearer api-token', 'Bearer api-token']);
      await app.close();
      await until(async () => (api.watchCount(PODS) === 0 ? true : undefined), 'the watch to close');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names what is missing for a Kubernetes or file source', () => {
    expect(() => parseConfig({ API_TAP_SOURCE: 'kubernetes' })).toThrow(/API_KUBERNETES_API_URL: is required with API_TAP_SOURCE=kubernetes/);
    expect(() => parseConfig({ API_TAP_SOURCE: 'file' })).toThrow('API_TAP_TARGETS_FILE: is required when API_TAP_SOURCE is file');
    expect(parseConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', API_TAP_SOURCE: 'kubernetes' }).tap.kubernetes?.apiUrl).toBe(
      'https://10.96.0.1:443',
    );
    expect(parseConfig({}).tap.source).toBe('prometheus');
    expect(parseConfig({ API_TAP_TARGETS_FILE: '/t.json' }).tap.source).toBe('file');
  });
});
