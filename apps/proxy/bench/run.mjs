// The proxy benchmark: `npm run bench -w @meshviz/proxy` (builds first). Not a test: it measures and writes
// bench/results/proxy.json and proxy.md at the repository root. See apps/proxy/README.md, "Benchmark".
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { revision } from '../../../bench/revision.mjs';
import { idleRss } from './idle.mjs';
import { measure } from './measure.mjs';
import { MTLS_SCENARIOS } from './mtls-scenarios.mjs';
import { profileProxy } from './profile.mjs';
import { writeReport } from './report.mjs';
import { SCENARIOS, startBackend } from './scenarios.mjs';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const PROTOCOLS = ['h1', 'h2'];

function versionOf(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  if (cpus().length < 2) throw new Error('the benchmark pins the proxy and the load generator to different CPUs: it needs 2');
  const loadAtStart = loadavg().map((x) => Number(x.toFixed(2)));
  const backend = await startBackend();
  const runs = [];
  try {
    for (let repeat = 1; repeat <= REPEATS; repeat++) {
      for (const [scenario, start] of Object.entries({ ...SCENARIOS, ...MTLS_SCENARIOS })) {
        const setup = await start(backend);
        try {
          for (const protocol of PROTOCOLS) {
            const result = await measure(setup, protocol);
            runs.push({ repeat, scenario, protocol, ...result });
            process.stderr.write(
              `repeat ${repeat} ${scenario.padEnd(16)} ${protocol}: c1 p50 ${result.c1.p50.toFixed(3)} ms, ` +
                `1000 rps p50 ${result.fixed.p50.toFixed(3)} ms, max ${Math.round(result.max.rps)} rps\n`,
            );
          }
        } finally {
          await setup.stop();
        }
      }
    }
    const idleRssMb = await idleRss(backend);
    process.stderr.write('profiling one proxy under saturating load (node --cpu-prof)…\n');
    const profiles = { h1: await profileProxy(backend, 'h1', 6), h2: await profileProxy(backend, 'h2', 6) };
    const meta = {
      date: new Date().toISOString(),
      revision: revision(),
      repeats: REPEATS,
      loadAverage: { start: loadAtStart, end: loadavg().map((x) => Number(x.toFixed(2))) },
      idleRssMb,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      node: process.version,
      haproxy: versionOf('haproxy', ['-v']),
      wrk: versionOf('wrk', ['--version']),
      h2load: versionOf('h2load', ['--version']),
      method: [
        'Loopback, 2 CPUs: the load generator and the backend (HAProxy answering 200 from memory) are pinned to CPU 0, the proxies under test to CPU 1 (taskset).',
        'Concurrency 1: HTTP/1.1 wrk -t1 -c1 (its --latency percentiles); HTTP/2 h2load -c1 -m1 (percentiles from its per-request log).',
        'Fixed 1000 rps: bench/fixed-rate.mjs, a small Node open-loop client (requests sent evenly on schedule whatever the answers, latency from each actual send), for both protocols: Debian\'s wrk has no -R, and h2load --rps releases requests in bursts every 100 ms.',
        'Max: HTTP/1.1 wrk -t1 -c32, HTTP/2 h2load -c8 -m16. Proxy CPU from /proc/<pid>/stat (utime+stime) over each run; peak RSS is VmHWM.',
        'The mesh hop (outbound → inbound) runs in plaintext (two-proxies) and with mTLS (two-proxies-mtls, certificates from the real control plane on CPU 0); the reference is the same hop through two one-thread HAProxies, in plaintext (haproxy-hop) and with mutual TLS 1.3 between them (haproxy-hop-tls), all on CPU 1.',
        'node-relay is the floor Node sets: a byte relay on net sockets (bench/node-relay.mjs), no HTTP parsing, on the proxy CPU; the section "Node\'s floor" compares one proxy with it.',
        'Each setup is warmed for 2 s one request at a time before anything is recorded, and for 2 s at saturation before the max run. Peak RSS (VmHWM) is read after the fixed-rate run and after saturation. Figures are medians over the repeats.',
      ],
    };
    writeReport({ meta, runs, profiles });
  } finally {
    await backend.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
