import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { API_ENV, type ApiEnv } from '@meshviz/api/env';
import { readSse } from '@meshviz/api-client';
import type { DestinationsFile } from '@meshviz/mesh-types';
import { PROXY_ENV, type ProxyEnv } from '@meshviz/proxy/env';
import { childEnv } from '../config.js';
import { binPath } from '../up/components.js';

/**
 * Real meshviz processes for tap tests: meshviz-proxy and meshviz-api from the built packages, each on ports the
 * OS chose (read back from their "ready" log lines), so tests control every request that flows.
 */

const HOST = '127.0.0.1';

export interface ProxyAddresses {
  readonly inbound: string;
  readonly outbound: string;
  readonly admin: string;
  readonly tap: string;
}

export interface RunningProcess {
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

export interface RunningProxy extends RunningProcess {
  readonly namespace: string;
  readonly deployment: string;
  readonly pod: string;
  readonly addresses: ProxyAddresses;
}

/** Starts a Node program and resolves with the first JSON log line for which `ready` returns a value. */
async function startNode<T>(
  name: string,
  file: string,
  env: Record<string, string>,
  ready: (log: Record<string, unknown>) => T | undefined,
): Promise<RunningProcess & { ready: T }> {
  const child: ChildProcess = spawn(process.execPath, [file], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const found = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready after 20 s:\n${lines.join('\n')}`)), 20_000);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (!line.startsWith('{')) return;
        const value = ready(JSON.parse(line) as Record<string, unknown>);
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        }
      });
    }
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready:\n${lines.join('\n')}`));
    });
  });
  return {
    pid: child.pid ?? 0,
    ready: found,
    output: () => lines.join('\n'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ProxyOptions {
  readonly namespace: string;
  readonly deployment: string;
  readonly pod: string;
  /** host:port of the app the inbound side forwards to. */
  readonly app: string;
  readonly destinationsFile: string;
  readonly tapToken: string;
  readonly redactHeaders?: string;
}

export async function startProxy(o: ProxyOptions): Promise<RunningProxy> {
  const any = `${HOST}:0`;
  const proc = await startNode(
    `proxy ${o.namespace}/${o.pod}`,
    binPath('@meshviz/proxy', 'meshviz-proxy'),
    {
      [PROXY_ENV.inboundListenAddr]: any,
      [PROXY_ENV.outboundListenAddr]: any,
      [PROXY_ENV.adminListenAddr]: any,
      [PROXY_ENV.tapListenAddr]: any,
      [PROXY_ENV.inboundForwardAddr]: o.app,
      [PROXY_ENV.destinationsFile]: o.destinationsFile,
      [PROXY_ENV.tapToken]: o.tapToken,
      [PROXY_ENV.tapRedactHeaders]: o.redactHeaders ?? '',
      [PROXY_ENV.namespace]: o.namespace,
      [PROXY_ENV.deployment]: o.deployment,
      [PROXY_ENV.pod]: o.pod,
      [PROXY_ENV.shutdownGracePeriod]: '1s',
      [PROXY_ENV.parentPid]: String(process.pid),
    } satisfies ProxyEnv,
    (log) => (log.msg === 'proxy ready' ? (log.addresses as ProxyAddresses) : undefined),
  );
  return { ...proc, namespace: o.namespace, deployment: o.deployment, pod: o.pod, addresses: proc.ready };
}

export interface ApiOptions {
  readonly targetsFile: string;
  readonly clientToken: string;
  readonly proxyToken: string;
}

/** The real API: tap only, so its Prometheus address is one where nothing listens. */
export async function startApi(o: ApiOptions): Promise<RunningProcess & { url: string }> {
  const proc = await startNode(
    'api',
    binPath('@meshviz/api', 'meshviz-api'),
    {
      [API_ENV.listenAddr]: `${HOST}:0`,
      [API_ENV.prometheusUrl]: `http://${HOST}:1`,
      [API_ENV.prometheusTimeoutMs]: '500',
      [API_ENV.tapToken]: o.clientToken,
      [API_ENV.proxyTapToken]: o.proxyToken,
      [API_ENV.tapTargetsFile]: o.targetsFile,
      [API_ENV.parentPid]: String(process.pid),
    } satisfies ApiEnv,
    (log) => (log.msg === 'meshviz-api listening' ? String(log.address) : undefined),
  );
  return { ...proc, url: proc.ready };
}

/** An app: a real HTTP server on a free loopback port. */
export async function startApp(handler: http.RequestListener): Promise<{ addr: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return {
    addr: `${HOST}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface MeshFiles {
  readonly dir: string;
  /** PROXY_DESTINATIONS_FILE of every proxy. */
  readonly destinations: string;
  /** API_TAP_TARGETS_FILE: where the API finds each proxy's tap port. */
  readonly targets: string;
  writeDestinations(file: DestinationsFile): Promise<void>;
  writeTargets(proxies: readonly RunningProxy[]): Promise<void>;
  remove(): Promise<void>;
}

/** Writes the files proxies and the API read, in a temporary folder removed by `remove`. */
export async function meshFiles(): Promise<MeshFiles> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-tap-test-'));
  const destinations = path.join(dir, 'destinations.json');
  const targets = path.join(dir, 'tap-targets.json');
  return {
    dir,
    destinations,
    targets,
    writeDestinations: (file) => writeFile(destinations, JSON.stringify(file)),
    writeTargets: (proxies) =>
      writeFile(
        targets,
        JSON.stringify({
          targets: proxies.map((p) => ({ namespace: p.namespace, deployment: p.deployment, pod: p.pod, tapAddr: p.addresses.tap })),
        }),
      ),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface Sent {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** performance.now() when the request was handed to the socket and when the whole response had arrived. */
  readonly startedAt: number;
  readonly doneAt: number;
  /** Date.now() at the same two moments. */
  readonly startedWall: number;
  readonly doneWall: number;
}

/** One HTTP/1.1 request to a proxy listener, on its own connection, timed from send to the response's last byte. */
export function send(
  addr: string,
  o: { method?: string; path: string; headers?: http.OutgoingHttpHeaders; body?: string },
): Promise<Sent> {
  const i = addr.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const startedWall = Date.now();
    const startedAt = performance.now();
    const req = http.request(
      { host: addr.slice(0, i), port: Number(addr.slice(i + 1)), method: o.method ?? 'GET', path: o.path, headers: o.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            startedAt,
            doneAt: performance.now(),
            startedWall,
            doneWall: Date.now(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

export interface Received {
  readonly event: string;
  readonly data: unknown;
  /** performance.now() when this process read it. */
  readonly at: number;
}

export interface SseCapture {
  readonly status: number;
  readonly events: Received[];
  /** Everything the stream carried, as text, to search for secrets. */
  raw(): string;
  /** Settles when the stream ends: false if it ended by itself, true if we aborted it. */
  readonly ended: Promise<boolean>;
  abort(): void;
}

/** Opens a tap or top stream on the API the way `meshviz tap` does, recording every event as it arrives. */
export async function openTap(url: string, headers: Record<string, string>): Promise<SseCapture> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: Received[] = [];
  let raw = '';
  const body = res.body;
  if (!res.ok || !body) {
    raw = await res.text();
    return { status: res.status, events, raw: () => raw, ended: Promise.resolve(false), abort: () => abort.abort() };
  }
  const [forEvents, forText] = body.tee();
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of forText) raw += decoder.decode(chunk, { stream: true });
  })().catch(() => {});
  const ended = readSse(forEvents, { message: (m) => events.push({ event: m.event, data: JSON.parse(m.data), at: performance.now() }) }).then(
    () => abort.signal.aborted,
    (error: unknown) => {
      if (abort.signal.aborted) return true;
      throw error;
    },
  );
  return { status: res.status, events, raw: () => raw, ended, abort: () => abort.abort() };
}

/** The proxy's open tap subscriptions, as its admin /metrics reports them (tap_subscriptions). */
export async function tapSubscriptions(proxy: RunningProxy): Promise<number> {
  const res = await fetch(`http://${proxy.addresses.admin}/metrics`);
  const text = await res.text();
  const line = /^tap_subscriptions (\S+)$/m.exec(text);
  if (!line) throw new Error(`proxy ${proxy.pod} reports no tap_subscriptions:\n${text.slice(0, 500)}`);
  return Number(line[1]);
}

/** Polls until `check` passes (then returns its value) or the deadline expires (then rethrows its last failure). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
