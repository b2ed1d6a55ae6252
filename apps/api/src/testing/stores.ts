import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The metric stores the API runs over, started for real (integration tests and the benchmark): Prometheus, and
 * VictoriaMetrics single-node scraping the same targets with the same configuration (`-promscrape.config`).
 */
export type StoreKind = 'prometheus' | 'victoria-metrics';
export const STORE_KINDS: readonly StoreKind[] = ['prometheus', 'victoria-metrics'];

/** The variable that names each store's binary; else the binary of the store's name on PATH. */
export const STORE_BIN_VARIABLE: Record<StoreKind, string> = {
  prometheus: 'PROMETHEUS_BIN',
  'victoria-metrics': 'VICTORIA_METRICS_BIN',
};

/** The store's binary, or null when it is not installed (tests then skip, saying so). */
export function findStore(kind: StoreKind, env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env[STORE_BIN_VARIABLE[kind]];
  if (configured) return configured;
  try {
    return execFileSync('sh', ['-c', `command -v ${kind}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** A file_sd group: one target address and the labels every series scraped from it gets. */
export interface ScrapeGroup {
  targets: string[];
  labels: Record<string, string>;
}

export interface StoreOptions {
  groups: ScrapeGroup[];
  scrapeSeconds: number;
  /** Prometheus only: rules evaluated by the store itself (VictoriaMetrics leaves rules to vmalert). */
  rules?: string;
  /** Prometheus only: every sample scraped is also sent to this remote-write endpoint. */
  remoteWriteUrl?: string;
  /** Extra command-line flags. */
  flags?: string[];
}

export interface RunningStore {
  kind: StoreKind;
  /** Base URL of its Prometheus query API (`<url>/api/v1/query`). */
  url: string;
  pid: number;
  version: string;
  /** Prometheus only: replaces its rule file and reloads it. */
  setRules(yaml: string): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function version(kind: StoreKind, bin: string): string {
  const out = execFileSync(bin, [kind === 'prometheus' ? '--version' : '-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (kind === 'prometheus') return /version (\S+)/.exec(out)?.[1] ?? 'unknown';
  // An empty answer (Debian's build) leaves the package's version to say.
  const own = out.trim();
  if (own) return own;
  try {
    return execFileSync('dpkg-query', ['-W', '-f=\u0024{Version}', 'victoria-metrics'], { encoding: 'utf8' }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

function config(kind: StoreKind, dir: string, o: StoreOptions): string {
  return [
    'global:',
    `  scrape_interval: ${o.scrapeSeconds}s`,
    `  scrape_timeout: ${Math.max(1, o.scrapeSeconds - 1)}s`,
    ...(kind === 'prometheus' ? [`rule_files: [${JSON.stringify(path.join(dir, 'rules.yml'))}]`] : []),
    'scrape_configs:',
    '  - job_name: mesh',
    // The targets may stamp their samples (the integration tests' exact counters do): both stores keep the stamps.
    '    honor_timestamps: true',
    `    file_sd_configs: [{ files: [${JSON.stringify(path.join(dir, 'targets.json'))}] }]`,
    ...(kind === 'prometheus' && o.remoteWriteUrl ? ['remote_write:', `  - url: ${JSON.stringify(o.remoteWriteUrl)}`] : []),
    '',
  ].join('\n');
}

function args(kind: StoreKind, dir: string, port: number, scrapeSeconds: number): string[] {
  const listen = `127.0.0.1:${port}`;
  if (kind === 'prometheus') {
    return [
      `--config.file=${path.join(dir, 'store.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${listen}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ];
  }
  return [
    `-promscrape.config=${path.join(dir, 'store.yml')}`,
    `-storageDataPath=${path.join(dir, 'data')}`,
    `-httpListenAddr=${listen}`,
    '-retentionPeriod=1d',
    '-loggerLevel=ERROR',
    // By default VictoriaMetrics answers a query at "now" from the data of 30 s earlier (its latency offset), where
    // Prometheus answers from the last scrape: one scrape interval keeps the two stores' "now" the same.
    `-search.latencyOffset=${scrapeSeconds}s`,
    // A query may select at most 300 000 series by default; the all-namespaces queries of a 10 000-edge mesh select
    // about that many bucket series, and counting the whole mesh more.
    '-search.maxUniqueTimeseries=2000000',
  ];
}

async function waitReady(url: string, kind: StoreKind, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const probe = kind === 'prometheus' ? '/-/ready' : '/health';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${kind} exited with code ${child.exitCode} before it was ready`);
    const ok = await fetch(`${url}${probe}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${kind} was not ready at ${url} after ${timeoutMs} ms`);
}

/** Starts the store in a temporary directory (removed by `stop`), scraping `groups`. */
export async function startStore(kind: StoreKind, bin: string, o: StoreOptions): Promise<RunningStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `meshviz-${kind}-`));
  await writeFile(path.join(dir, 'targets.json'), JSON.stringify(o.groups));
  await writeFile(path.join(dir, 'rules.yml'), o.rules ?? 'groups: []\n');
  await writeFile(path.join(dir, 'store.yml'), config(kind, dir, o));
  const port = await freePort();
  const child = spawn(bin, [...args(kind, dir, port, o.scrapeSeconds), ...(o.flags ?? [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000).then(() => child.kill("SIGKILL"))]);
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, kind, child);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}; its last words: ${stderr.trim() || '(none)'}`);
  }
  return {
    kind,
    url,
    pid: child.pid ?? 0,
    version: version(kind, bin),
    async setRules(yaml) {
      if (kind !== 'prometheus') throw new Error('rules are evaluated by Prometheus here; VictoriaMetrics needs vmalert');
      await writeFile(path.join(dir, 'rules.yml'), yaml);
      const res = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (!res.ok) throw new Error(`Prometheus refused to reload its rules: HTTP ${res.status}`);
    },
    stop,
  };
}
