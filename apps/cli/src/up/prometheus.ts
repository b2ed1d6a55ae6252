import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessSpec } from './processes.js';

export interface ScrapeTarget {
  addr: string;
  /** A proxy's are its pod's (namespace, deployment, pod); the control plane's name its component. */
  labels: Record<string, string>;
}

/** Finds the Prometheus binary: PROMETHEUS_BIN, else `prometheus` on PATH. */
export function findPrometheus(fromEnv: string | undefined): string | null {
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export function prometheusVersion(bin: string): string {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return /version (\S+)/.exec(out)?.[1] ?? 'unknown';
}

/** file_sd: one group per proxy, labelled like a pod in a cluster (namespace, deployment, pod). */
export function fileSd(targets: ScrapeTarget[]): string {
  return JSON.stringify(targets.map((t) => ({ targets: [t.addr], labels: t.labels })), null, 2);
}

export function prometheusConfig(sdFile: string, scrapeIntervalSeconds: number): string {
  return [
    'global:',
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    `  scrape_timeout: ${Math.max(1, Math.min(10, scrapeIntervalSeconds - 1 || 1))}s`,
    `  evaluation_interval: ${scrapeIntervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: meshviz-proxies',
    '    metrics_path: /metrics',
    '    file_sd_configs:',
    `      - files: [${JSON.stringify(sdFile)}]`,
    '        refresh_interval: 5s',
    '',
  ].join('\n');
}

export async function writePrometheusFiles(
  dir: string,
  targets: ScrapeTarget[],
  scrapeIntervalSeconds: number,
): Promise<string> {
  const sdFile = path.join(dir, 'targets.json');
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(sdFile, fileSd(targets));
  await writeFile(configFile, prometheusConfig(sdFile, scrapeIntervalSeconds));
  return configFile;
}

export function prometheusProcess(bin: string, configFile: string, dataDir: string, port: number): ProcessSpec {
  return {
    name: 'prometheus',
    command: bin,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
    ],
  };
}

/** Polls until `check` returns a value, or throws with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | null>,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error(`stopped waiting for ${what}`);
    try {
      const v = await check();
      if (v !== null) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${last ? ` (${last})` : ''}`);
}

interface TargetsResponse {
  data: { activeTargets: Array<{ health: string; scrapeUrl: string; lastError: string }> };
}

/** Resolves once Prometheus has scraped every expected target successfully at least once. */
export async function waitForFirstScrape(
  url: string,
  expected: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  let summary = '';
  try {
    await waitFor('the first scrape of every proxy', timeoutMs, async () => {
      const res = await fetch(`${url}/api/v1/targets?state=active`);
      const body = (await res.json()) as TargetsResponse;
      const up = body.data.activeTargets.filter((t) => t.health === 'up').length;
      const down = body.data.activeTargets.filter((t) => t.health === 'down');
      summary = `${up}/${expected} up${down[0] ? `; e.g. ${down[0].scrapeUrl}: ${down[0].lastError}` : ''}`;
      return up >= expected ? true : null;
    }, signal);
  } catch (err) {
    throw new Error(`${(err as Error).message}; targets: ${summary}`);
  }
}
