// Load generators: wrk (HTTP/1.1, closed loop), h2load (HTTP/2, and HTTP/1.1 at a fixed rate), and their output.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The load generator runs on this CPU (with the backend); proxies under test get the other one. */
export const LOAD_CPU = 0;

function pinned(command, args) {
  return run('taskset', ['-c', String(LOAD_CPU), command, ...args], { maxBuffer: 64 * 1024 * 1024 });
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000 };

/** wrk: `-c` connections, one thread; returns req/s and, with --latency, p50/p99 in ms. */
export async function wrk({ url, host, connections, seconds }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-H', `Host: ${host}`, url];
  const { stdout } = await pinned('wrk', args);
  const percentile = (p) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(stdout);
    return match ? Number(match[1]) * UNIT_MS[match[2]] : Number.NaN;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(stdout);
  return { rps, p50: percentile(50), p99: percentile(99), errors: errors ? errors[0] : '' };
}

/**
 * h2load: HTTP/2 by default, HTTP/1.1 with `h1`. `rps` (per client) makes it open-loop at a fixed rate; the
 * per-request log gives exact percentiles.
 */
export async function h2load({ url, host, clients, streams = 1, seconds, rps, h1 = false, warmupSeconds = 0 }) {
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-'));
  const log = join(dir, 'requests.tsv');
  const args = [
    `-c${clients}`,
    `-m${streams}`,
    `-D${seconds}`,
    '--log-file', log,
    // h2load turns :authority into Host in HTTP/1.1 mode; a Host header of our own would be a second one.
    '-H', `:authority: ${host}`,
    ...(h1 ? ['--h1'] : []),
    ...(rps ? [`--rps=${rps}`] : []),
    ...(warmupSeconds ? [`--warm-up-time=${warmupSeconds}`] : []),
    url,
  ];
  try {
    const { stdout } = await pinned('h2load', args);
    const done = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(stdout);
    const durations = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'))
      .filter(([, status]) => status === '200')
      .map(([, , us]) => Number(us) / 1000)
      .sort((a, b) => a - b);
    return {
      rps: Number(/finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(stdout)?.[1]),
      p50: quantile(durations, 0.5),
      p99: quantile(durations, 0.99),
      succeeded: Number(done?.[3] ?? 0),
      failed: Number(done?.[4] ?? 0) + Number(done?.[5] ?? 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function median(values) {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/** The fixed-rate client (fixed-rate.mjs) in its own process on the load CPU. */
export async function fixedRate({ url, host, protocol, rps, seconds }) {
  const script = new URL('./fixed-rate.mjs', import.meta.url).pathname;
  const { stdout } = await pinned(process.execPath, [script, protocol, url, host, String(rps), String(seconds)]);
  return JSON.parse(stdout);
}
