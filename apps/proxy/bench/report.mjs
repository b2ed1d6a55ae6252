// Medians over repeats, the targets of the proxy issue, and the JSON + markdown written to bench/results/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { revisionText } from '../../../bench/revision.mjs';
import { median } from './load.mjs';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const SETUPS = ['direct', 'proxy', 'two-proxies', 'two-proxies-mtls', 'haproxy', 'haproxy-hop', 'haproxy-hop-tls', 'node-relay'];
/** Setups that are a hop of two proxies: added latency is per proxy. */
const HOPS = new Set(['two-proxies', 'two-proxies-mtls', 'haproxy-hop', 'haproxy-hop-tls']);
const PROTOCOLS = ['h1', 'h2'];
const PROTOCOL_NAME = { h1: 'HTTP/1.1', h2: 'HTTP/2' };

/** Median of one figure over the repeats of a setup and protocol. */
function med(runs, scenario, protocol, pick) {
  return median(runs.filter((r) => r.scenario === scenario && r.protocol === protocol).map(pick));
}

/** Latency a setup adds over direct, per repeat (same repeat's direct run), then the median; per proxy. */
function added(runs, scenario, protocol, pick, proxies) {
  const values = runs
    .filter((r) => r.scenario === scenario && r.protocol === protocol)
    .map((r) => {
      const direct = runs.find((d) => d.scenario === 'direct' && d.protocol === protocol && d.repeat === r.repeat);
      return direct ? (pick(r) - pick(direct)) / proxies : Number.NaN;
    });
  return median(values);
}

export function summarise(runs) {
  const summary = {};
  for (const scenario of SETUPS) {
    summary[scenario] = {};
    for (const protocol of PROTOCOLS) {
      const m = (pick) => med(runs, scenario, protocol, pick);
      const proxies = HOPS.has(scenario) ? 2 : 1;
      const a = (pick) => (scenario === 'direct' ? 0 : added(runs, scenario, protocol, pick, proxies));
      summary[scenario][protocol] = {
        c1P50: m((r) => r.c1.p50),
        c1P99: m((r) => r.c1.p99),
        fixedP50: m((r) => r.fixed.p50),
        fixedP99: m((r) => r.fixed.p99),
        fixedRps: m((r) => r.fixed.rps),
        addedPerProxy: {
          c1P50: a((r) => r.c1.p50),
          c1P99: a((r) => r.c1.p99),
          fixedP50: a((r) => r.fixed.p50),
          fixedP99: a((r) => r.fixed.p99),
        },
        maxRps: m((r) => r.max.rps),
        maxCores: m((r) => r.max.cores),
        maxRpsPerCore: m((r) => r.max.rpsPerCore),
        coresPer1000Rps: m((r) => r.fixed.coresPer1000Rps),
        rssFixedRateMb: m((r) => r.peakRssMb.fixedRate),
        rssSaturatedMb: m((r) => r.peakRssMb.saturated),
      };
    }
  }
  return summary;
}

export function targets(summary) {
  const out = [];
  for (const protocol of PROTOCOLS) {
    const p = summary.proxy[protocol];
    const two = summary['two-proxies'][protocol];
    const h = summary.haproxy[protocol];
    const name = PROTOCOL_NAME[protocol];
    for (const [label, key] of [['concurrency 1', 'c1P50'], ['1000 rps', 'fixedP50']]) {
      const limit = 2 * h.addedPerProxy[key];
      for (const [setup, s] of [['one proxy', p], ['two proxies, per proxy', two]]) {
        out.push({
          target: `${name}: added p50 at ${label}, ${setup} ≤ 2 × HAProxy's (${fmt(h.addedPerProxy[key])} ms)`,
          value: `${fmt(s.addedPerProxy[key])} ms`,
          pass: s.addedPerProxy[key] <= limit,
        });
      }
    }
    const share = MIN_SHARE_OF_HAPROXY[protocol];
    for (const [setup, ours, theirs] of [
      ['one proxy', p, h],
      ['plaintext hop', summary['two-proxies'][protocol], summary['haproxy-hop'][protocol]],
      ['mTLS hop', summary['two-proxies-mtls'][protocol], summary['haproxy-hop-tls'][protocol]],
    ]) {
      if (!ours || !theirs) continue;
      out.push({
        target: `${name}: max rps per proxy core, ${setup}, ≥ ${pct(share)} of one-thread HAProxy's (${Math.round(theirs.maxRpsPerCore)})`,
        value: `${Math.round(ours.maxRpsPerCore)} (${pct(ours.maxRpsPerCore / theirs.maxRpsPerCore)}); raw ${Math.round(ours.maxRps)} vs ${Math.round(theirs.maxRps)} rps`,
        pass: ours.maxRpsPerCore >= share * theirs.maxRpsPerCore,
      });
    }
    out.push({
      target: `${name}: proxy CPU ≤ ${MAX_CORES_PER_1000_RPS} cores per 1000 rps`,
      value: `${p.coresPer1000Rps.toFixed(3)} cores`,
      pass: p.coresPer1000Rps <= MAX_CORES_PER_1000_RPS,
    });
    const plain = summary['two-proxies'][protocol];
    const mtls = summary['two-proxies-mtls'][protocol];
    if (plain && mtls) {
      const ratio = mtls.coresPer1000Rps / plain.coresPer1000Rps;
      out.push({
        target: `${name}: the mTLS hop costs ≤ 20 % more CPU per request than the plaintext hop`,
        value: `${mtls.coresPer1000Rps.toFixed(3)} vs ${plain.coresPer1000Rps.toFixed(3)} cores per 1000 rps (+${pct(ratio - 1)})`,
        pass: ratio <= 1.2,
      });
    }
    out.push({ target: `${name}: peak RSS ≤ 80 MB, up to 1000 rps`, value: `${p.rssFixedRateMb.toFixed(1)} MB`, pass: p.rssFixedRateMb <= 80 });
    out.push({ target: `${name}: peak RSS ≤ 80 MB, saturated`, value: `${p.rssSaturatedMb.toFixed(1)} MB`, pass: p.rssSaturatedMb <= 80 });
    if (mtls) {
      out.push({
        target: `${name}: peak RSS ≤ 80 MB, saturated, proxies of the mTLS hop`,
        value: `${mtls.rssSaturatedMb.toFixed(1)} MB`,
        pass: mtls.rssSaturatedMb <= 80,
      });
    }
  }
  return out;
}

/** The targets of the performance issue: throughput per core against one HAProxy thread, CPU per request. */
const MIN_SHARE_OF_HAPROXY = { h1: 0.35, h2: 0.15 };
const MAX_CORES_PER_1000_RPS = 0.15;

const fmt = (ms) => (Number.isFinite(ms) ? ms.toFixed(3) : 'n/a');
const pct = (x) => `${Math.round(x * 100)} %`;

function markdown({ meta, summary, checks, profiles }) {
  const lines = [
    '# Proxy benchmark',
    '',
    `Generated by \`npm run bench -w @meshviz/proxy\` on ${meta.date}, ${meta.revision ? revisionText(meta.revision) : 'commit not recorded'} — ${meta.cpu}, ${meta.cpus} CPUs, Node ${meta.node}, ${meta.haproxy}, ${meta.wrk}, ${meta.h2load}. Medians of ${meta.repeats} repeats; raw runs in proxy.json.`,
    '',
    ...meta.method.map((m) => `- ${m}`),
    ...(meta.loadAverage
      ? [
          `- Load average (1, 5, 15 min) of the machine, shared with other work: ${meta.loadAverage.start.join(', ')} at the start, ${meta.loadAverage.end.join(', ')} at the end. Absolute figures move with it; the targets compare with HAProxy measured in the same run.`,
        ]
      : []),
    ...(meta.idleRssMb ? [`- Idle RSS of one proxy (started, one request served, 2 s quiet): ${meta.idleRssMb.toFixed(1)} MB.`] : []),
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...checks.map((c) => `| ${c.target} | ${c.value} | ${c.pass ? 'yes' : '**no**'} |`),
    '',
  ];
  for (const protocol of PROTOCOLS) {
    lines.push(
      `## ${PROTOCOL_NAME[protocol]}`,
      '',
      '| setup | c1 p50 ms | c1 p99 ms | added c1 p50 / proxy | 1000 rps p50 ms | 1000 rps p99 ms | added 1000 rps p50 / proxy | max rps | proxy cores at max | rps per proxy core | cores per 1000 rps | peak RSS MB at 1000 rps / saturated |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const setup of SETUPS) {
      const s = summary[setup][protocol];
      lines.push(
        `| ${setup} | ${fmt(s.c1P50)} | ${fmt(s.c1P99)} | ${fmt(s.addedPerProxy.c1P50)} | ${fmt(s.fixedP50)} | ${fmt(s.fixedP99)} | ${fmt(s.addedPerProxy.fixedP50)} | ${Math.round(s.maxRps)} | ${Number.isFinite(s.maxCores) && setup !== 'direct' ? s.maxCores.toFixed(2) : '—'} | ${Number.isFinite(s.maxRpsPerCore) ? Math.round(s.maxRpsPerCore) : '—'} | ${Number.isFinite(s.coresPer1000Rps) ? s.coresPer1000Rps.toFixed(3) : '—'} | ${Number.isFinite(s.rssFixedRateMb) ? `${s.rssFixedRateMb.toFixed(1)} / ${s.rssSaturatedMb.toFixed(1)}` : '—'} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## What mTLS adds to a mesh hop',
    '',
    'The same hop (outbound → inbound) with mutual TLS 1.3 against plaintext, for meshviz and for two one-thread HAProxies; differences are medians of the per-setup medians. CPU is both proxies of the hop together.',
    '',
    '| protocol | setup | c1 p50 added ms | c1 p99 added ms | 1000 rps p50 added ms | 1000 rps p99 added ms | cores per 1000 rps, plaintext → mTLS | CPU per request | peak RSS MB at 1000 rps, plaintext → mTLS |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const protocol of PROTOCOLS) {
    for (const [label, plainKey, tlsKey] of [['meshviz', 'two-proxies', 'two-proxies-mtls'], ['HAProxy', 'haproxy-hop', 'haproxy-hop-tls']]) {
      const a = summary[plainKey]?.[protocol];
      const b = summary[tlsKey]?.[protocol];
      if (!a || !b) continue;
      const d = (k) => fmt(b[k] - a[k]);
      lines.push(
        `| ${PROTOCOL_NAME[protocol]} | ${label} | ${d('c1P50')} | ${d('c1P99')} | ${d('fixedP50')} | ${d('fixedP99')} | ${a.coresPer1000Rps.toFixed(3)} → ${b.coresPer1000Rps.toFixed(3)} | +${pct(b.coresPer1000Rps / a.coresPer1000Rps - 1)} | ${a.rssFixedRateMb.toFixed(1)} → ${b.rssFixedRateMb.toFixed(1)} |`,
      );
    }
  }
  lines.push('');
  lines.push(...nodeFloor(summary));
  lines.push('## Where the time goes (node --cpu-prof, one proxy, saturating load)', '');
  for (const protocol of PROTOCOLS) {
    const p = profiles[protocol];
    if (!p) continue;
    lines.push(`### ${PROTOCOL_NAME[protocol]}`, '', '| area | share of busy CPU |', '|---|---|');
    for (const a of p.areas) lines.push(`| ${a.name} | ${pct(a.share)} |`);
    lines.push('', '| busiest functions (self time) | share |', '|---|---|');
    for (const f of p.functions) lines.push(`| \`${f.name}\` | ${(f.share * 100).toFixed(1)} % |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One proxy against the bare Node relay measured in the same run: what Node's socket I/O alone costs on the same
 * core, and what the proxy spends on top of it (parsing, routing, metrics, its streams).
 */
function nodeFloor(summary) {
  const rows = [];
  for (const protocol of PROTOCOLS) {
    const relay = summary['node-relay']?.[protocol];
    const proxy = summary.proxy[protocol];
    const ref = summary.haproxy[protocol];
    if (!relay || !Number.isFinite(relay.coresPer1000Rps)) continue;
    rows.push(
      `| ${PROTOCOL_NAME[protocol]} | ${relay.coresPer1000Rps.toFixed(3)} | ${proxy.coresPer1000Rps.toFixed(3)} | ${(proxy.coresPer1000Rps - relay.coresPer1000Rps).toFixed(3)} | ${Math.round(relay.maxRpsPerCore)} (${pct(relay.maxRpsPerCore / ref.maxRpsPerCore)}) | ${Math.round(proxy.maxRpsPerCore)} (${pct(proxy.maxRpsPerCore / ref.maxRpsPerCore)}) |`,
    );
  }
  if (rows.length === 0) return [];
  return [
    "## Node's floor",
    '',
    'node-relay is a byte relay on `net` sockets (bench/node-relay.mjs: no HTTP parsing, no metrics) on the proxy CPU, measured in the same run. What it costs is what any proxy running on Node pays for its socket I/O; the difference is the proxy\'s own work. Percentages are of one HAProxy thread, as in the targets.',
    '',
    '| protocol | node-relay cores per 1000 rps | proxy cores per 1000 rps | proxy − relay | node-relay rps per core | proxy rps per core |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}

/** The written analysis at the end of proxy.md survives regeneration: everything from this heading on. */
const ANALYSIS = '## Analysis';

/** Writes proxy.json (everything) and proxy.md (tables, then the hand-written analysis kept from before). */
export function writeReport({ meta, runs, profiles }) {
  const summary = summarise(runs);
  const checks = targets(summary);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}proxy.json`, `${JSON.stringify({ meta, summary, targets: checks, profiles, runs }, null, 2)}\n`);
  const previous = existsSync(`${RESULTS}proxy.md`) ? readFileSync(`${RESULTS}proxy.md`, 'utf8') : '';
  const analysis = previous.includes(ANALYSIS) ? previous.slice(previous.indexOf(ANALYSIS)) : '';
  writeFileSync(`${RESULTS}proxy.md`, markdown({ meta, summary, checks, profiles }) + (analysis ? `\n${analysis}` : ''));
  process.stderr.write(`wrote ${RESULTS}proxy.json and proxy.md\n`);
}
