// One round of measurements of one setup and protocol.
import { fixedRate, h2load, wrk } from './load.mjs';
import { measureCpu, peakRssBytes } from './processes.mjs';

/** Seconds of each run, scaled by BENCH_SCALE for quick trial runs. */
const scale = Number(process.env.BENCH_SCALE ?? 1);
const SECONDS = { warmup: 2, latency: Math.max(1, Math.round(5 * scale)), fixed: Math.max(1, Math.round(8 * scale)), max: Math.max(1, Math.round(8 * scale)) };
export const FIXED_RPS = 1000;

/**
 * Concurrency 1 (closed loop: one request at a time, so latency is the path's own), a fixed 1000 rps (open
 * loop, fixed-rate.mjs, for both protocols), then as much as the proxy can take (wrk with 32 connections, h2load
 * with 8 connections x 16 streams), measuring the proxy's CPU during the last two. Peak RSS is read twice: after
 * the fixed rate (what a normally loaded sidecar holds) and after saturation.
 */
export async function measure(setup, protocol) {
  const url = `http://${setup[protocol]}/`;
  const { host, measured } = setup;
  const h1 = protocol === 'h1';
  const oneAtATime = (seconds) =>
    h1 ? wrk({ url, host, connections: 1, seconds }) : h2load({ url, host, clients: 1, streams: 1, seconds });
  const saturate = (seconds) =>
    h1 ? wrk({ url, host, connections: 32, seconds }) : h2load({ url, host, clients: 8, streams: 16, seconds });
  const peakRss = () => (measured.length ? Math.max(...measured.map(peakRssBytes)) / (1024 * 1024) : Number.NaN);

  await oneAtATime(SECONDS.warmup); // JIT, pools and sessions warm before anything is recorded
  const latency = await oneAtATime(SECONDS.latency);
  const fixed = await measureCpu(measured, () => fixedRate({ url, host, protocol, rps: FIXED_RPS, seconds: SECONDS.fixed }));
  const rssAtFixedRate = peakRss();
  await saturate(SECONDS.warmup);
  const max = await measureCpu(measured, () => saturate(SECONDS.max));

  const fixedCores = fixed.cpuSeconds / fixed.wallSeconds;
  const maxCores = max.cpuSeconds / max.wallSeconds;
  return {
    c1: { p50: latency.p50, p99: latency.p99, rps: latency.rps },
    fixed: {
      rps: fixed.result.rps,
      p50: fixed.result.p50,
      p99: fixed.result.p99,
      failed: fixed.result.failed,
      cores: fixedCores,
      coresPer1000Rps: measured.length ? fixedCores / (fixed.result.rps / 1000) : Number.NaN,
    },
    max: {
      rps: max.result.rps,
      cores: maxCores,
      rpsPerCore: measured.length ? max.result.rps / maxCores : Number.NaN,
    },
    peakRssMb: { fixedRate: rssAtFixedRate, saturated: peakRss() },
  };
}
