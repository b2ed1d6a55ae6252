import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AppProcess, spawnApp } from '../support/app-process.js';
import { runLoad } from '../support/load.js';
import { type ProxyProcess, spawnProxy } from '../support/proxy-process.js';

/**
 * kill -9 of one of three replicas behind an outbound proxy process, under steady load: effective success must stay
 * at 99.9 % or more, and no request may go unanswered. The requests in flight on the killed replica lose their
 * connection before any answer: the route's retry sends them to another replica.
 */
const SERVICE = 'catalog.bookshop.svc.cluster.local';
const started: { kill(): Promise<void> }[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-hardening-chaos-'));
afterAll(async () => {
  await Promise.all(started.map((p) => p.kill()));
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The service's outbound config as the control plane would publish it (`outbound`, not the route table `routes`,
 * which only names routes for metrics): retry 5xx and lost connections once, with timeouts and a breaker.
 */
const outbound = {
  routes: [
    {
      kind: 'default',
      name: 'default',
      matches: [{ headers: [] }],
      backends: [{ authority: SERVICE, weight: 1 }],
      timeouts: { requestMs: 2_000, responseMs: 1_000, idleMs: null },
      retry: { limit: 1, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: null },
      fault: null,
    },
  ],
  accrual: { kind: 'consecutive', maxFailures: 7, minPenaltyMs: 1_000, maxPenaltyMs: 60_000, jitter: 0.5 },
};

async function outboundTo(apps: AppProcess[]): Promise<ProxyProcess> {
  const file = path.join(dir, `destinations-${started.length}.json`);
  const endpoints = apps.map((a, i) => ({ addr: a.addr, namespace: 'bookshop', deployment: 'catalog', pod: `catalog-${i}` }));
  writeFileSync(file, JSON.stringify({ services: { [SERVICE]: { namespace: 'bookshop', service: 'catalog', endpoints, outbound } } }));
  const proxy = await spawnProxy({ PROXY_DESTINATIONS_FILE: file });
  started.push(proxy);
  return proxy;
}

describe('chaos with traffic flowing', () => {
  it('kill -9 of one of three replicas under load: effective success stays at 99.9 % or more, nothing lost', async () => {
    const apps = await Promise.all(['a', 'b', 'c'].map((n) => spawnApp(n)));
    started.push(...apps);
    const proxy = await outboundTo(apps);
    const load = runLoad({ address: proxy.addresses.outbound, host: SERVICE, rps: 200, durationMs: 5_000, concurrency: 8, timeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    await apps[0]?.kill('SIGKILL');
    const result = await load;
    const rate = result.ok / result.sent;
    process.stdout.write(`chaos kill -9: ${result.ok}/${result.sent} ok (${(rate * 100).toFixed(3)} %), failed ${JSON.stringify(result.failures)}, errors ${JSON.stringify(result.errors)}, lost ${result.lost}\n`);
    expect(result.sent).toBeGreaterThan(300);
    expect(result.lost).toBe(0);
    expect(rate).toBeGreaterThanOrEqual(0.999);
  });

});
