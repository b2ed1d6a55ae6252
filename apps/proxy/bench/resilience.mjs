// The resilience benchmark: `npm run bench:resilience -w @meshviz/proxy` (builds first). Not a test: it measures and
// writes bench/results/resilience.json and resilience.md at the repository root. See apps/proxy/README.md.
//
// One service, three replicas under steady load through one outbound proxy; one replica is made bad in turn —
// killed, stalled, failing 50 %, 10× slower — and the run reports what the callers got (effective success, p99) and
// the share of requests the bad replica received, for the proxy without outbound config (peak-EWMA balancing only),
// the proxy with the route's retries, timeouts and the Service's breaker, and HAProxy round robin as a reference.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { revision, revisionText } from '../../../bench/revision.mjs';
import { LOAD_CPU } from './load.mjs';
import { freePort, waitForPort } from './processes.mjs';
import { haproxy, meshvizProxy } from './scenarios.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, '..', '..', '..', 'bench', 'results');
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CLIENT_TIMEOUT_MS = 5_000;
const SERVICE = 'svc.bench.svc.cluster.local';
const MODES = ['killed', 'stalled', 'failing', 'slow'];
/** The route the resilient setup gives its callers: retries of 5xx and failed connections, timeouts, a breaker. */
const ROUTE_TIMEOUT_MS = 1_000;
const OUTBOUND = {
  routes: [
    {
      kind: 'default',
      name: 'default',
      matches: [{ headers: [] }],
      backends: [{ authority: SERVICE, weight: 1 }],
      timeouts: { requestMs: ROUTE_TIMEOUT_MS, responseMs: 200, idleMs: null },
      retry: { limit: 1, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: null },
      fault: null,
    },
  ],
  accrual: { kind: 'consecutive', maxFailures: 7, minPenaltyMs: 1_000, maxPenaltyMs: 60_000, jitter: 0.5 },
};

/** The replicas' process, pinned beside the load generator, driven over IPC. */
function startReplicas() {
  const child = spawn('taskset', ['-c', String(LOAD_CPU), process.execPath, join(HERE, 'resilience-replicas.mjs')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const pending = new Map();
  child.on('message', ({ id, result }) => {
    pending.get(id)?.(result);
    pending.delete(id);
  });
  const call = (message) =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      child.send({ id, ...message });
    });
  return { call, stop: () => child.kill('SIGTERM') };
}

/** Open-loop load: RATE requests per second, evenly, for SECONDS, whatever the answers; each request's outcome. */
async function load(addr, host) {
  const [hostname, port] = addr.split(':');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const results = [];
  const total = RATE * SECONDS;
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      new Promise((resolve) => {
        const sent = performance.now();
        const req = http.request({ hostname, port, path: '/', headers: { host: host }, agent, timeout: CLIENT_TIMEOUT_MS }, (res) => {
          res.resume();
          res.on('end', () => {
            results.push({ ok: res.statusCode >= 200 && res.statusCode < 300, ms: performance.now() - sent });
            resolve();
          });
        });
        req.on('timeout', () => req.destroy(new Error('client timeout')));
        req.on('error', () => {
          results.push({ ok: false, ms: performance.now() - sent });
          resolve();
        });
        req.end();
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return results;
}

function p99(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The three setups a bad replica is met with; each resolves with the address clients send to and a stop. */
function setups(ports) {
  const endpoints = ports.map((port, i) => ({ addr: `127.0.0.1:${port}`, namespace: 'bench', deployment: 'svc', pod: `svc-${i}` }));
  const destinations = (outbound) => ({
    services: { [SERVICE]: { namespace: 'bench', service: 'svc', endpoints, ...(outbound ? { outbound } : {}) } },
  });
  const proxied = (outbound) => async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-resilience-'));
    const file = join(dir, 'destinations.json');
    writeFileSync(file, JSON.stringify(destinations(outbound)));
    const proxy = await meshvizProxy('outbound', { PROXY_DESTINATIONS_FILE: file });
    return {
      addr: proxy.addresses.outbound,
      stop: async () => {
        await proxy.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  return {
    'meshviz, balancing only': proxied(undefined),
    'meshviz, retries + timeouts + breaker': proxied(OUTBOUND),
    'HAProxy round robin': async () => {
      const port = await freePort();
      const servers = ports.map((p, i) => `  server r${i} 127.0.0.1:${p}`).join('\n');
      const config = `global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client ${CLIENT_TIMEOUT_MS}ms\n  timeout server ${CLIENT_TIMEOUT_MS}ms\n  retries 0\nfrontend f\n  bind 127.0.0.1:${port}\n  default_backend b\nbackend b\n  balance roundrobin\n${servers}\n`;
      const ref = await haproxy('haproxy', 1, config, [port]);
      return { addr: `127.0.0.1:${port}`, stop: ref.stop };
    },
  };
}

/** The machine's load average when the benchmark started: other work on the same cores shows in p99. */
const LOAD_AT_START = loadavg();

async function main() {
  if (cpus().length < 2) throw new Error('the benchmark pins the proxy and the load generator to different CPUs: it needs 2');
  const replicas = startReplicas();
  const runs = [];
  try {
    const ports = await replicas.call({ cmd: 'start', count: 3 });
    for (const port of ports) await waitForPort(port);
    for (let repeat = 1; repeat <= REPEATS; repeat++) {
      for (const [setupName, start] of Object.entries(setups(ports))) {
        for (const mode of MODES) {
          const setup = await start();
          try {
            await replicas.call({ cmd: 'mode', index: 0, mode });
            await replicas.call({ cmd: 'reset' });
            const results = await load(setup.addr, SERVICE);
            const counts = await replicas.call({ cmd: 'counts' });
            const received = counts.reduce((a, b) => a + b, 0);
            const run = {
              repeat,
              setup: setupName,
              mode,
              requests: results.length,
              success: results.filter((r) => r.ok).length / results.length,
              p99Ms: p99(results.map((r) => r.ms)),
              // Killed: nothing reaches it; its share is of connection attempts, which the replica cannot count.
              badShare: mode === 'killed' ? null : received === 0 ? 0 : counts[0] / received,
            };
            runs.push(run);
            process.stderr.write(
              `repeat ${repeat} ${setupName.padEnd(38)} ${mode.padEnd(8)} success ${(run.success * 100).toFixed(2)} %, p99 ${run.p99Ms.toFixed(1)} ms, bad share ${run.badShare === null ? '-' : `${(run.badShare * 100).toFixed(1)} %`}\n`,
            );
          } finally {
            await replicas.call({ cmd: 'mode', index: 0, mode: 'healthy' });
            await setup.stop();
          }
        }
      }
    }
  } finally {
    replicas.stop();
  }
  writeReport(runs);
}

function writeReport(runs) {
  const meta = {
    date: new Date().toISOString(),
    revision: revision(),
    command: 'npm run bench:resilience -w @meshviz/proxy',
    repeats: REPEATS,
    rate: RATE,
    seconds: SECONDS,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage: LOAD_AT_START.map((l) => Number(l.toFixed(2))),
  };
  writeFileSync(join(RESULTS, 'resilience.json'), `${JSON.stringify({ meta, runs }, null, 2)}\n`);
  const groups = new Map();
  for (const r of runs) {
    const key = `${r.mode}\u0000${r.setup}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows = [...groups.values()].map((g) => {
    const shares = g.map((r) => r.badShare).filter((s) => s !== null);
    return `| ${g[0].mode} | ${g[0].setup} | ${(median(g.map((r) => r.success)) * 100).toFixed(2)} % | ${median(g.map((r) => r.p99Ms)).toFixed(1)} ms | ${shares.length ? `${(median(shares) * 100).toFixed(1)} %` : '—'} |`;
  });
  const md = `# Resilience benchmark

Written by \`${meta.command}\` on ${meta.date}, ${revisionText(meta.revision)} (${meta.cpu}, Node ${meta.node}; load average at start ${meta.loadAverage.join(', ')}). Medians of ${meta.repeats} runs.

One service with three replicas (each answers 200 after 5 ms) under ${meta.rate} requests/s of open-loop load for
${meta.seconds} s per run, through one outbound proxy pinned to its own CPU; the replicas and the load generator share
the other. Replica 0 is bad for the whole run:

- **killed**: nothing listens on its port (connections refused);
- **stalled**: it accepts requests and never answers;
- **failing**: every second request answers 503;
- **slow**: it answers after 50 ms instead of 5.

Setups: the meshviz proxy with no outbound config (power of two choices over peak-EWMA, nothing else); the same proxy
with the route's retries (5xx and failed connections, limit 1, within the budget), a ${ROUTE_TIMEOUT_MS} ms request timeout with 200 ms
per attempt, and the Service's consecutive-failure breaker (7 failures, 1 s → 1 min); HAProxy round robin without
retries or health checks as the reference. Clients give up after ${CLIENT_TIMEOUT_MS / 1000} s. Success is what the client got
(2xx); "bad share" is the share of the requests the replicas received that went to the bad one (not measurable when
it is killed).

Targets: ≥ 99.9 % effective success with a killed or 50 %-failing replica; a 10× slower replica receives < 10 % of
requests; p99 stays under the route timeout (${ROUTE_TIMEOUT_MS} ms) when one replica stalls.

| bad replica | setup | effective success | p99 | bad share |
|---|---|---|---|---|
${rows.join('\n')}
`;
  writeFileSync(join(RESULTS, 'resilience.md'), md);
  process.stderr.write(`wrote ${join(RESULTS, 'resilience.md')}\n`);
}

await main();
