// The tap benchmark: `npm run bench:tap -w @meshviz/proxy` (builds the proxy and the API first). Not a test: it
// measures and writes bench/results/tap.json and tap.md at the repository root. See apps/proxy/README.md, "Tap
// benchmark". One meshviz proxy (pinned to CPU 1) in front of HAProxy answering 200 from memory; the real
// meshviz-api, the load and the SSE client on CPU 0.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { revision } from '../../../bench/revision.mjs';
import { LOAD_CPU, median, quantile } from './load.mjs';
import { cpuSeconds, freePort, peakRssBytes, startPinned, waitForPort } from './processes.mjs';
import { meshvizProxy, SERVICE, startBackend } from './scenarios.mjs';
import { writeTapReport } from './tap-report.mjs';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const SECONDS = { settle: 2, warmup: Math.max(2, Math.round(10 * scale)), measure: Math.max(2, Math.round(20 * scale)) };
/** Requests per second sent to the proxy in every scenario. */
const LOAD_RPS = 200;
/** What the tap asks for: the API's default, and so about half of the load is tapped. */
const TAP_MAX_RPS = 100;
const API_BIN = fileURLToPath(new URL('../../api/dist/server.js', import.meta.url));
const TAP_TOKEN = 'bench-tap-token-0123456789';
const PROXY_TAP_TOKEN = 'bench-proxy-tap-token';

/**
 * Sends `rps` requests per second for `seconds`, evenly on schedule (open loop), over keep-alive connections.
 * Each request has its own path; `done` gets the path and the moment its last byte arrived.
 */
async function load(addr, seconds, done = () => {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
  const total = Math.round(LOAD_RPS * seconds);
  const interval = 1000 / LOAD_RPS;
  let failed = 0;
  let finished = 0;
  let sent = 0;
  const prefix = `/r/${Date.now()}/`;
  await new Promise((resolve) => {
    const finish = (ok) => {
      if (!ok) failed += 1;
      finished += 1;
      if (finished === total) resolve();
    };
    const started = performance.now();
    const tick = () => {
      while (sent < total && started + sent * interval <= performance.now()) {
        const path = `${prefix}${sent}`;
        sent += 1;
        const req = http.request({ host, port, path, agent, headers: { host: SERVICE } }, (res) => {
          res.resume();
          res.on('end', () => {
            done(path, performance.now());
            finish(res.statusCode === 200);
          });
        });
        req.on('error', () => finish(false));
        req.end();
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
    };
    tick();
  });
  agent.destroy();
  return { failed, total };
}

/** CPU cores the proxy used while `work` ran. */
async function cores(pid, work) {
  const before = cpuSeconds(pid);
  const started = performance.now();
  const result = await work();
  return { result, cores: (cpuSeconds(pid) - before) / ((performance.now() - started) / 1000) };
}

/** The real API, tapping the one proxy listed in its targets file; quiet, so its logging costs nothing here. */
async function startApi(targetsFile) {
  const port = await freePort();
  const proc = await startPinned('api', LOAD_CPU, process.execPath, [API_BIN], {
    env: {
      API_LISTEN_ADDR: `127.0.0.1:${port}`,
      API_PROMETHEUS_URL: 'http://127.0.0.1:1',
      API_PROMETHEUS_TIMEOUT_MS: '500',
      API_TAP_TOKEN: TAP_TOKEN,
      API_PROXY_TAP_TOKEN: PROXY_TAP_TOKEN,
      API_TAP_TARGETS_FILE: targetsFile,
      API_LOG_LEVEL: 'warn',
    },
  });
  await waitForPort(port);
  return { ...proc, url: `http://127.0.0.1:${port}` };
}

/**
 * Opens GET /api/v1/tap like `meshviz tap` and calls `onEnd(path, at)` when each request's response_end event
 * arrives. Resolves once the stream is open.
 */
async function openTap(api, onEnd) {
  const abort = new AbortController();
  const res = await fetch(`${api}/api/v1/tap?namespace=bench&max_rps=${TAP_MAX_RPS}`, {
    headers: { authorization: `Bearer ${TAP_TOKEN}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (!res.ok) throw new Error(`tap refused: ${res.status} ${await res.text()}`);
  const paths = new Map();
  let tapped = 0;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      const at = performance.now();
      buffer += decoder.decode(chunk, { stream: true });
      let sep = buffer.indexOf('\n\n');
      while (sep >= 0) {
        const block = buffer.slice(0, sep);
        buffer = buffer.slice(sep + 2);
        sep = buffer.indexOf('\n\n');
        if (!block.startsWith('event: tap\n')) continue;
        const event = JSON.parse(block.slice(block.indexOf('data: ') + 6));
        if (event.requestInit) paths.set(event.id, event.requestInit.path);
        else if (event.responseEnd) {
          tapped += 1;
          onEnd(paths.get(event.id), at);
          paths.delete(event.id);
        }
      }
    }
  })().catch((error) => {
    if (!abort.signal.aborted) throw error;
  });
  return {
    tapped: () => tapped,
    close: async () => {
      abort.abort();
      await reading;
    },
  };
}

async function subscriptions(proxy) {
  const text = await (await fetch(`http://${proxy.addresses.admin}/metrics`)).text();
  return Number(/^tap_subscriptions (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
}

async function until(check, what) {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));

/** Starts a proxy, lets it settle, and reads its idle peak RSS before any traffic. */
async function idleProxy(name, backend, env) {
  const proxy = await meshvizProxy(name, { PROXY_INBOUND_FORWARD_ADDR: backend.addr, PROXY_NAMESPACE: 'bench', PROXY_DEPLOYMENT: 'backend', PROXY_POD: 'backend-0', ...env });
  await sleep(SECONDS.settle);
  return { proxy, idleRssMb: peakRssBytes(proxy.pid) / (1024 * 1024) };
}

/** One round: the four scenarios, each at the same request rate, and tap latency while tapped. */
async function round(repeat, backend, dir) {
  const out = [];
  const untappedRun = async (proxy, scenario, idleRssMb) => {
    process.stderr.write(`repeat ${repeat}: ${scenario}…\n`);
    await load(proxy.addresses.inbound, SECONDS.warmup);
    const { result, cores: used } = await cores(proxy.pid, () => load(proxy.addresses.inbound, SECONDS.measure));
    out.push({ repeat, scenario, cores: used, failed: result.failed, ...(idleRssMb !== undefined ? { idleRssMb } : {}) });
  };

  const disabled = await idleProxy('proxy-tap-disabled', backend, {});
  try {
    await untappedRun(disabled.proxy, 'disabled', disabled.idleRssMb);
  } finally {
    await disabled.proxy.stop();
  }

  const enabled = await idleProxy('proxy', backend, { PROXY_TAP_TOKEN: PROXY_TAP_TOKEN });
  const targets = join(dir, 'tap-targets.json');
  writeFileSync(targets, JSON.stringify({ targets: [{ namespace: 'bench', deployment: 'backend', pod: 'backend-0', tapAddr: enabled.proxy.addresses.tap }] }));
  const api = await startApi(targets);
  try {
    await untappedRun(enabled.proxy, 'nobody-taps', enabled.idleRssMb);

    process.stderr.write(`repeat ${repeat}: tapped…\n`);
    const completed = new Map();
    const lagMs = [];
    const ends = [];
    const tap = await openTap(api.url, (path, at) => ends.push([path, at]));
    await until(async () => (await subscriptions(enabled.proxy)) === 1, 'the tap subscription');
    await load(enabled.proxy.addresses.inbound, SECONDS.warmup);
    const tappedBefore = tap.tapped();
    ends.length = 0;
    const { result, cores: used } = await cores(enabled.proxy.pid, () =>
      load(enabled.proxy.addresses.inbound, SECONDS.measure, (path, at) => completed.set(path, at)),
    );
    await sleep(0.5);
    const tappedRps = (tap.tapped() - tappedBefore) / SECONDS.measure;
    await tap.close();
    for (const [path, at] of ends) if (completed.has(path)) lagMs.push(at - completed.get(path));
    lagMs.sort((a, b) => a - b);
    out.push({
      repeat,
      scenario: 'tapped',
      cores: used,
      failed: result.failed,
      tappedRps,
      tapLatencyMs: { p50: quantile(lagMs, 0.5), p95: quantile(lagMs, 0.95), samples: lagMs.length },
      rssAfterMb: peakRssBytes(enabled.proxy.pid) / (1024 * 1024),
    });
    await until(async () => (await subscriptions(enabled.proxy)) === 0, 'the tap subscription to close');

    await untappedRun(enabled.proxy, 'after-tap');
  } finally {
    await api.stop();
    await enabled.proxy.stop();
  }
  return out;
}

function versionOf(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  if (cpus().length < 2) throw new Error('the benchmark pins the proxy and everything else to different CPUs: it needs 2');
  // This process sends the load and reads the tap stream: it belongs with the load, away from the proxy.
  execFileSync('taskset', ['-cp', String(LOAD_CPU), String(process.pid)], { stdio: 'ignore' });
  const backend = await startBackend();
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-tap-'));
  const runs = [];
  try {
    for (let repeat = 1; repeat <= REPEATS; repeat++) {
      const results = await round(repeat, backend, dir);
      runs.push(...results);
      const line = results
        .map((r) => `${r.scenario} ${(r.cores * 100).toFixed(1)} %${r.tapLatencyMs ? ` (tap p50 ${r.tapLatencyMs.p50.toFixed(2)} ms, ${r.tappedRps.toFixed(0)} req/s tapped)` : ''}`)
        .join(', ');
      process.stderr.write(`repeat ${repeat}: ${line}\n`);
    }
  } finally {
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  writeTapReport({
    meta: {
      date: new Date().toISOString(),
      revision: revision(),
      command: 'npm run bench:tap -w @meshviz/proxy',
      repeats: REPEATS,
      seconds: SECONDS,
      loadRps: LOAD_RPS,
      tapMaxRps: TAP_MAX_RPS,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      node: process.version,
      haproxy: versionOf('haproxy', ['-v']),
    },
    runs,
    median,
  });
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
