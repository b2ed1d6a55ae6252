import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppProcess, spawnApp } from '../../../tests/src/support/app-process.js';
import { type ProxyProcess, spawnProxy } from '../../../tests/src/support/proxy-process.js';
import { startWeb, type WebServer } from '../web-server.js';

/** The built API (the specs run after `npx turbo run build`): a real process, so it can be killed and started again. */
const API_BIN = fileURLToPath(new URL('../../../apps/api/dist/server.js', import.meta.url));

/** Where the one workload of a mini mesh lives. */
export const MINI = { namespace: 'chaos', deployment: 'web', pod: 'web-0' } as const;

export interface MiniMeshOptions {
  /** Prometheus' scrape interval in seconds. */
  scrapeSeconds: number;
  /** The API's timeout of one PromQL request. */
  prometheusTimeoutMs: number;
  /** Requests a second sent through the proxy to the app. */
  rps: number;
}

/** A real Prometheus on a fixed port and data directory, so it can be stopped and started again as the same one. */
export interface PrometheusHandle {
  readonly url: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

/** The real API process on a fixed port, with the tap of the mesh's proxy. */
export interface ApiHandle {
  readonly url: string;
  readonly tapToken: string;
  kill(signal: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  /** What the API wrote (its pino log), for failure messages. */
  output(): string;
}

export interface MiniMesh {
  app: AppProcess;
  proxy: ProxyProcess;
  prometheus: PrometheusHandle;
  api: ApiHandle;
  web: WebServer;
  /** Requests answered through the proxy so far, those that failed, and how the last one failed. */
  load: { ok: number; failed: number; lastFailure: string };
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

/** Sends `signal` to a child still running and waits for its exit. */
async function signalAndWait(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

function prometheusConfig(adminAddr: string, scrapeSeconds: number): string {
  return [
    'global:',
    `  scrape_interval: ${scrapeSeconds}s`,
    `  scrape_timeout: ${Math.max(1, scrapeSeconds - 1)}s`,
    'scrape_configs:',
    '  - job_name: meshviz-proxies',
    '    static_configs:',
    `      - targets: [${JSON.stringify(adminAddr)}]`,
    `        labels: { namespace: ${MINI.namespace}, deployment: ${MINI.deployment}, pod: ${MINI.pod} }`,
    '',
  ].join('\n');
}

async function startPrometheus(dir: string, adminAddr: string, scrapeSeconds: number): Promise<PrometheusHandle> {
  const port = await freePort();
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(configFile, prometheusConfig(adminAddr, scrapeSeconds));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const handle: PrometheusHandle = {
    url,
    async start() {
      const args = [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
      child = spawn('prometheus', args, { stdio: 'ignore' });
      await waitUntil('Prometheus was not ready', 20_000, async () => (await fetch(`${url}/-/ready`)).ok);
    },
    async stop(signal = 'SIGTERM') {
      const running = child;
      child = null;
      await signalAndWait(running, signal);
    },
  };
  await handle.start();
  return handle;
}

async function startApi(dir: string, prometheusUrl: string, timeoutMs: number, tapAddr: string, proxyTapToken: string): Promise<ApiHandle> {
  const port = await freePort();
  const tapTargets = path.join(dir, 'tap-targets.json');
  await writeFile(tapTargets, JSON.stringify({ targets: [{ ...MINI, tapAddr }] }));
  const tapToken = randomBytes(24).toString('base64url');
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let output = '';
  const handle: ApiHandle = {
    url,
    tapToken,
    output: () => output,
    async start() {
      const env = {
        PATH: process.env.PATH ?? '',
        API_LISTEN_ADDR: `127.0.0.1:${port}`,
        API_PROMETHEUS_URL: prometheusUrl,
        API_PROMETHEUS_TIMEOUT_MS: String(timeoutMs),
        API_TAP_TOKEN: tapToken,
        API_PROXY_TAP_TOKEN: proxyTapToken,
        API_TAP_TARGETS_FILE: tapTargets,
        API_LOG_LEVEL: 'info',
      };
      const from = output.length;
      const started = spawn(process.execPath, [API_BIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
      };
      started.stdout?.on('data', collect);
      started.stderr?.on('data', collect);
      await waitUntil(`the API was not listening on ${url}:\n${output}`, 20_000, async () => {
        if (started.exitCode !== null) throw new Error(`the API exited with ${started.exitCode}:\n${output}`);
        return output.includes('meshviz-api listening', from);
      });
    },
    async kill(signal) {
      const running = child;
      child = null;
      await signalAndWait(running, signal);
    },
  };
  await handle.start();
  return handle;
}

/** GETs through the proxy's inbound listener at a steady pace until stopped; counts what came back. */
function runLoad(inbound: string, rps: number, load: MiniMesh['load']): () => Promise<void> {
  const [host, port] = [inbound.slice(0, inbound.lastIndexOf(':')), Number(inbound.slice(inbound.lastIndexOf(':') + 1))];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      const sent = performance.now();
      await new Promise<void>((resolve) => {
        const req = http.get({ host, port, path: `/books/${++n}`, headers: { host: `${MINI.deployment}.${MINI.namespace}.svc.cluster.local` }, agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) < 300) load.ok++;
            else {
              load.failed++;
              load.lastFailure = `${res.statusCode} ${res.headers['x-meshviz-proxy-error'] ?? ''}`;
            }
            resolve();
          });
        });
        req.on('error', (err) => {
          load.failed++;
          load.lastFailure = err.message;
          resolve();
        });
        // A request that hangs must not stop the traffic: it counts as failed.
        req.setTimeout(5_000, () => req.destroy(new Error('no answer within 5 s')));
      });
      const wait = 1000 / rps - (performance.now() - sent);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return async () => {
    running = false;
    await loop;
    agent.destroy();
  };
}

/**
 * The smallest real mesh the dashboard can show: one app replica behind a real proxy (explicit mode) with traffic
 * flowing through it, a real Prometheus scraping the proxy, the real API process (tap enabled) and the built
 * dashboard. Prometheus and the API can be stopped and started again on the same port, as a restart does.
 */
export async function startMiniMesh(options: MiniMeshOptions): Promise<MiniMesh> {
  const dir = await mkdtemp(path.join(tmpdir(), 'meshviz-chaos-browser-'));
  const proxyTapToken = randomBytes(24).toString('base64url');
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const app = await spawnApp(MINI.deployment, 2);
    stops.push(() => app.kill());
    const proxy = await spawnProxy({
      PROXY_INBOUND_FORWARD_ADDR: app.addr,
      PROXY_NAMESPACE: MINI.namespace,
      PROXY_DEPLOYMENT: MINI.deployment,
      PROXY_POD: MINI.pod,
      PROXY_TAP_TOKEN: proxyTapToken,
    });
    stops.push(() => proxy.kill());
    const load = { ok: 0, failed: 0, lastFailure: '' };
    stops.push(runLoad(proxy.addresses.inbound, options.rps, load));
    const prometheus = await startPrometheus(dir, proxy.addresses.admin, options.scrapeSeconds);
    stops.push(() => prometheus.stop());
    const api = await startApi(dir, prometheus.url, options.prometheusTimeoutMs, proxy.addresses.tap, proxyTapToken);
    stops.push(() => api.kill('SIGTERM'));
    const web = await startWeb(api.url);
    stops.push(() => web.stop());
    return { app, proxy, prometheus, api, web, load, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
