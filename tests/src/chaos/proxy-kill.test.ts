import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PortAllocator } from '../../../apps/cli/src/up/ports.js';
import { type Supervised, Supervisor } from '../../../apps/cli/src/up/processes.js';
import { send } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { parseSamples, total } from '../../../apps/proxy/src/testing/prom-text.js';
import { spawnApp } from '../support/app-process.js';
import { runLoad } from '../support/load.js';
import { PROXY_BIN, spawnProxy } from '../support/proxy-process.js';

/**
 * kill -9 of the server's proxy with traffic flowing: a client calls the catalog service through its outbound proxy
 * and the catalog replica's inbound proxy, which the local runtime's supervisor (the one `meshviz up` runs its
 * processes under) starts again with its restart backoff, on the same ports. While it is gone every request gets an
 * answer from the client's proxy (502/503 naming the failure) or an error its client sees, none hangs; once it is
 * back, traffic flows again within a few seconds and the new process counts it.
 */
const SERVICE = 'catalog.bookshop.svc.cluster.local';
/** Once the restarted proxy is ready, requests sent this much later all succeed. */
const RECOVERY_MS = 2_000;
const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-hardening-proxy-kill-'));
const started: { kill(): Promise<void> }[] = [];
let supervisor: Supervisor | undefined;
afterAll(async () => {
  await supervisor?.stopAll(2_000);
  await Promise.all(started.map((p) => p.kill()));
  rmSync(dir, { recursive: true, force: true });
});

/** How many times the supervised proxy has said "proxy ready" in its log (one per start). */
function readyLines(entry: Supervised): number {
  try {
    return readFileSync(entry.logFile, 'utf8').split('\n').filter((line) => line.includes('"msg":"proxy ready"')).length;
  } catch {
    return 0;
  }
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now();
}

describe('kill -9 of a proxy with traffic flowing', () => {
  it('its callers get clear errors, nothing hangs or is lost, and it serves again once the runtime restarts it', async () => {
    const app = await spawnApp('catalog-0');
    started.push(app);
    // The supervisor restarts a process with the same command and environment, so its listeners are fixed ports,
    // chosen free now (as the local runtime chooses them).
    const ports = new PortAllocator();
    const [inbound, admin] = [await ports.next(), await ports.next()];
    const restarts: number[] = [];
    supervisor = new Supervisor(dir, { onRestart: (_p, delayMs) => restarts.push(delayMs), onFatal: () => {} });
    const serverProxy = supervisor.start({
      name: 'bookshop/catalog-0/proxy',
      command: process.execPath,
      args: [PROXY_BIN],
      env: {
        PROXY_INBOUND_LISTEN_ADDR: `127.0.0.1:${inbound}`,
        PROXY_INBOUND_FORWARD_ADDR: app.addr,
        PROXY_OUTBOUND_LISTEN_ADDR: '127.0.0.1:0',
        PROXY_ADMIN_LISTEN_ADDR: `127.0.0.1:${admin}`,
        PROXY_TAP_LISTEN_ADDR: '127.0.0.1:0',
        PROXY_LOG_LEVEL: 'info',
      },
      pod: { namespace: 'bookshop', deployment: 'catalog', pod: 'catalog-0', container: 'proxy' },
    });
    await until('the catalog proxy is ready', () => readyLines(serverProxy) === 1, 15_000);

    const file = path.join(dir, 'destinations.json');
    const endpoints = [{ addr: `127.0.0.1:${inbound}`, namespace: 'bookshop', deployment: 'catalog', pod: 'catalog-0' }];
    writeFileSync(file, JSON.stringify({ services: { [SERVICE]: { namespace: 'bookshop', service: 'catalog', endpoints } } }));
    const client = await spawnProxy({ PROXY_DESTINATIONS_FILE: file });
    started.push(client);

    const start = performance.now();
    // Load until RECOVERY_MS + 2 s after the proxy is back (at most 30 s, should the restart never come).
    const stop = new AbortController();
    const load = runLoad({ address: client.addresses.outbound, host: SERVICE, rps: 100, durationMs: 30_000, concurrency: 4, timeoutMs: 5_000, stop: stop.signal });
    await new Promise((r) => setTimeout(r, 1_500));
    serverProxy.child.kill('SIGKILL');
    const killedAt = performance.now() - start;
    const backAt = await until('the catalog proxy is restarted and ready', () => readyLines(serverProxy) === 2, 15_000).catch((error) => {
      stop.abort();
      throw error;
    });
    await new Promise((r) => setTimeout(r, RECOVERY_MS + 2_000));
    stop.abort();
    const result = await load;
    const failuresAfterBack = result.failures.filter((f) => f.atMs > backAt - start + RECOVERY_MS);
    const okAfterBack = result.okAt.filter((at) => at > backAt - start).length;
    const kinds: Record<string, number> = {};
    for (const f of result.failures) kinds[`${f.status} ${f.kind}`] = (kinds[`${f.status} ${f.kind}`] ?? 0) + 1;
    process.stdout.write(
      `chaos proxy kill -9: killed at ${killedAt.toFixed(0)} ms, ready again at ${(backAt - start).toFixed(0)} ms (restart backoff ${restarts.join(', ')} ms); ` +
        `${result.ok}/${result.sent} ok, failed ${JSON.stringify(kinds)}, errors ${JSON.stringify(result.errors)}, lost ${result.lost}, ok after the restart ${okAfterBack}\n`,
    );

    // Nothing hangs past the client's timeout, nothing is silently lost: every request was answered or failed.
    expect(result.lost).toBe(0);
    expect(result.ok + Object.values(result.failed).reduce((a, b) => a + b, 0) + Object.values(result.errors).reduce((a, b) => a + b, 0)).toBe(result.sent);
    // The failures are the client proxy's own answers naming what went wrong (a reset in flight, a refused connect).
    expect(result.failures.length).toBeGreaterThan(0);
    for (const failure of result.failures) {
      expect([502, 503, 504]).toContain(failure.status);
      expect(failure.kind).toMatch(/^(connection_reset|connect_refused|connect_error|connect_timeout|no_endpoints)$/);
    }
    // A client-side error is a reset it is told about, nothing else.
    expect(Object.keys(result.errors).every((code) => code === 'ECONNRESET')).toBe(true);
    // The runtime restarted it once, after its first backoff; traffic flows within RECOVERY_MS of its return.
    expect(restarts).toHaveLength(1);
    expect(failuresAfterBack).toEqual([]);
    expect(okAfterBack).toBeGreaterThan(50);
    // The new process counts what it carried: at least every request that succeeded after it was back.
    const metrics = parseSamples((await send(`127.0.0.1:${admin}`, { path: '/metrics' })).body.toString());
    expect(total(metrics, 'request_total', { direction: 'inbound' })).toBeGreaterThanOrEqual(okAfterBack);
  });
});
