import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubeConfigFor } from './kube-config.js';
import { ResourceCache } from './resource-cache.js';
import { customResource, PODS } from './resources.js';
import { ListWatchStandIn } from './testing/list-watch-stand-in.js';
import { pod } from './testing/objects.js';

const TOKEN = 'stand-in-token';
let api: ListWatchStandIn;
let dir: string;
let caches: ResourceCache<never>[];

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function podCache(errors: string[] = []) {
  const kc = kubeConfigFor({ apiUrl: api.url, tokenFile: path.join(dir, 'token') });
  const cache = new ResourceCache(kc, PODS, { onError: (e) => errors.push(e.message), minRetryMs: 20, maxRetryMs: 100 });
  caches.push(cache as ResourceCache<never>);
  return cache;
}

const names = (cache: ResourceCache<{ metadata?: { name?: string } }>) => cache.list().map((p) => p.metadata?.name).sort();

beforeEach(async () => {
  api = await ListWatchStandIn.start({ token: TOKEN });
  dir = mkdtempSync(path.join(tmpdir(), 'kube-'));
  writeFileSync(path.join(dir, 'token'), TOKEN);
  caches = [];
});

afterEach(async () => {
  await Promise.all(caches.map((c) => c.stop()));
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ResourceCache against the list/watch stand-in', () => {
  it('lists, then watches from the list resourceVersion with bookmarks and the bearer token', async () => {
    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-1', ip: '10.0.0.1' }));
    const cache = podCache();
    const events: string[] = [];
    cache.on('add', (p) => events.push(`add ${p.metadata?.name}`));
    cache.on('update', (p) => events.push(`update ${p.metadata?.name}`));
    cache.on('delete', (p) => events.push(`delete ${p.metadata?.name}`));
    await cache.start();
    expect(cache.synced()).toBe(true);
    expect(names(cache)).toEqual(['web-1']);
    const listRv = api.resourceVersion();
    await until(() => api.watchCount('/api/v1/pods') === 1, 'the watch');
    const watch = api.requests.find((r) => r.query.watch);
    expect(watch?.query).toMatchObject({ watch: 'true', resourceVersion: listRv, allowWatchBookmarks: 'true' });
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);

    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-2', ip: '10.0.0.2' }));
    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-1', ip: '10.0.0.1', ready: false }));
    api.remove('/api/v1/pods', 'web-2', 'shop');
    await until(() => events.length === 4, 'four events');
    expect(events).toEqual(['add web-1', 'add web-2', 'update web-1', 'delete web-2']);
    expect(cache.get('web-1', 'shop')?.status?.conditions?.[0]?.status).toBe('False');
  });

  it('records a bookmark resourceVersion and resumes from it after a clean end of the watch', async () => {
    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-1', ip: '10.0.0.1' }));
    api.put('/api/v1/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other', namespace: 'shop' } });
    const cache = podCache();
    await cache.start();
    await until(() => api.watchCount('/api/v1/pods') === 1, 'the watch');
    api.put('/api/v1/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other2', namespace: 'shop' } });
    api.bookmark('/api/v1/pods');
    await until(() => cache.resourceVersion() === api.resourceVersion(), 'the bookmark');
    const bookmarked = api.resourceVersion();
    api.endWatches();
    await until(() => api.requests.filter((r) => r.query.watch).length === 2 && api.watchCount('/api/v1/pods') === 1, 'a second watch');
    expect(api.requests.at(-1)?.query.resourceVersion).toBe(bookmarked);
    expect(api.requests.filter((r) => !r.query.watch && r.path === '/api/v1/pods')).toHaveLength(1);
  });

  it('resyncs after a dropped watch: changes made while it was down arrive, without a new list', async () => {
    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-1', ip: '10.0.0.1' }));
    const errors: string[] = [];
    const cache = podCache(errors);
    await cache.start();
    await until(() => api.watchCount('/api/v1/pods') === 1, 'the watch');
    api.dropWatches();
    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-2', ip: '10.0.0.2' }));
    await until(() => names(cache).length === 2, 'web-2 after the drop');
    expect(errors.length).toBeGreaterThan(0);
    expect(api.requests.filter((r) => !r.query.watch)).toHaveLength(1);
  });

  it('relists on 410 Gone and reports objects deleted while it was away', async () => {
    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-1', ip: '10.0.0.1' }));
    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-2', ip: '10.0.0.2' }));
    const cache = podCache();
    const deleted: string[] = [];
    cache.on('delete', (p) => deleted.push(p.metadata?.name ?? ''));
    await cache.start();
    await until(() => api.watchCount('/api/v1/pods') === 1, 'the watch');
    api.dropWatches();
    // While the watch is down: web-2 goes, web-3 comes, and the history is compacted past the client's version.
    api.remove('/api/v1/pods', 'web-2', 'shop');
    api.put('/api/v1/pods', pod({ namespace: 'shop', name: 'web-3', ip: '10.0.0.3' }));
    api.compact();
    await until(() => names(cache).join() === 'web-1,web-3', 'the relist');
    expect(deleted).toEqual(['web-2']);
    expect(api.requests.filter((r) => !r.query.watch && r.path === '/api/v1/pods')).toHaveLength(2);
  });

  it('retries a failed list until the API answers', async () => {
    api.token = 'another-token';
    const errors: string[] = [];
    const cache = podCache(errors);
    await cache.start();
    expect(cache.synced()).toBe(false);
    await until(() => errors.length >= 2, 'two failures');
    api.token = TOKEN;
    expect(await cache.whenSynced(3_000)).toBe(true);
  });

  it('lists and watches a custom resource as plain JSON', async () => {
    const kind = customResource('policy.meshviz.io', 'v1', 'servers');
    const server = { apiVersion: 'policy.meshviz.io/v1', kind: 'Server', metadata: { name: 'web', namespace: 'shop' }, spec: { port: 8080 } };
    api.put(kind.path, server);
    const kc = kubeConfigFor({ apiUrl: api.url, tokenFile: path.join(dir, 'token') });
    const cache = new ResourceCache(kc, kind);
    caches.push(cache as ResourceCache<never>);
    await cache.start();
    expect(cache.get('web', 'shop')?.spec).toEqual({ port: 8080 });
    api.put(kind.path, { ...server, spec: { port: 9090 } });
    await until(() => (cache.get('web', 'shop')?.spec as { port: number } | undefined)?.port === 9090, 'the update');
  });
});
