import { StatsResponse, type StatsRow, type TopologyResponse } from '@meshviz/mesh-types';
import { promqlOf, recordingRuleGroup } from '@meshviz/promql';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { createPrometheusClient, type PrometheusClient } from './prometheus/client.js';
import { STEADY, type SteadyMesh, startSteadyMesh } from './testing/steady-mesh.js';
import { findStore, type RunningStore, STORE_BIN_VARIABLE, STORE_KINDS, type StoreKind, startStore } from './testing/stores.js';

/**
 * The API over real stores holding the same mesh: Prometheus, VictoriaMetrics scraping it, and VictoriaMetrics fed
 * by a Prometheus' remote write must give the same numbers, the ones written down by hand for the steady mesh
 * (testing/steady-mesh.ts). A setup whose binary is not installed is skipped, saying which.
 */
const WINDOW = '30s';
/** The window must be covered by data for rate() to be exact in every store: a little more than 30 s of scrapes. */
const COVERED_SECONDS = 33;
const SCRAPE_SECONDS = 1;
/** Float arithmetic of rates and interpolation; nothing else may move the numbers. */
const DIGITS = 6;

/** Ways to run a store over the steady mesh: the store the API reads, and every process started for it. */
interface Setup {
  name: string;
  needs: StoreKind[];
  start(mesh: SteadyMesh, bins: Record<StoreKind, string>): Promise<{ read: RunningStore; all: RunningStore[] }>;
}

const SETUPS: Setup[] = [
  ...STORE_KINDS.map((kind) => ({
    name: kind,
    needs: [kind],
    async start(mesh: SteadyMesh, bins: Record<StoreKind, string>) {
      const store = await startStore(kind, bins[kind], { groups: mesh.groups, scrapeSeconds: SCRAPE_SECONDS });
      return { read: store, all: [store] };
    },
  })),
  {
    // How a Prometheus that scrapes the mesh (meshviz up's) hands its samples to VictoriaMetrics (docs in README).
    name: "victoria-metrics fed by Prometheus' remote write",
    needs: ['prometheus', 'victoria-metrics'],
    async start(mesh, bins) {
      const vm = await startStore('victoria-metrics', bins['victoria-metrics'], { groups: [], scrapeSeconds: SCRAPE_SECONDS });
      const prom = await startStore('prometheus', bins.prometheus, {
        groups: mesh.groups,
        scrapeSeconds: SCRAPE_SECONDS,
        remoteWriteUrl: `${vm.url}/api/v1/write`,
      }).catch(async (err) => {
        await vm.stop();
        throw err;
      });
      return { read: vm, all: [prom, vm] };
    },
  },
];

const bins = Object.fromEntries(STORE_KINDS.map((k) => [k, findStore(k)])) as Record<StoreKind, string | null>;
const missing = (s: Setup) => s.needs.filter((k) => bins[k] === null);

let mesh: SteadyMesh | undefined;
const running = new Map<string, { read: RunningStore; all: RunningStore[] }>();

// Every setup at once, so they share one wait for the window to fill.
beforeAll(async () => {
  mesh = await startSteadyMesh();
  const steady = mesh;
  const runnable = SETUPS.filter((s) => missing(s).length === 0);
  const started = await Promise.allSettled(
    runnable.map(async (s) => {
      const r = await s.start(steady, bins as Record<StoreKind, string>);
      running.set(s.name, r);
      return r;
    }),
  );
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  await Promise.all([...running.values()].map((r) => waitForScrapes(r.read)));
  await new Promise((r) => setTimeout(r, COVERED_SECONDS * 1000));
}, 120_000);
afterAll(async () => {
  await Promise.all([...running.values()].flatMap((r) => r.all.map((s) => s.stop())));
  await mesh?.close();
}, 30_000);

async function waitForScrapes(store: RunningStore): Promise<void> {
  const client = createPrometheusClient({ url: store.url, timeoutMs: 5000, auth: { kind: 'none' } });
  const deadline = Date.now() + 30_000;
  while ((await client.instant('count(proxy_build_info)').catch(() => [])).at(0)?.value !== 3) {
    if (Date.now() > deadline) throw new Error(`${store.kind} has not received the 3 pods' samples after 30 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * An instant S at which every response_total series has samples at both S and S − 30 s: Prometheus' rate() then
 * extrapolates nothing, and is exact whatever gaps a busy machine left between scrapes elsewhere. Waits (up to 30 s
 * more) until such an instant exists.
 */
async function alignedSecond(store: RunningStore, notBefore = 0): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${store.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: 'response_total[50s]' }),
    });
    const body = (await res.json()) as { data: { result: Array<{ values: Array<[number, string]> }> } };
    const seconds = body.data.result.map((r) => new Set(r.values.map(([t]) => Math.round(t))));
    const candidates = [...(seconds[0] ?? [])].sort((a, b) => b - a);
    const s = candidates.find((t) => t >= notBefore && seconds.every((set) => set.has(t) && set.has(t - 30)));
    if (s !== undefined && seconds.length === 6) return s;
    if (Date.now() > deadline) throw new Error(`${store.kind} holds no instant with samples 30 s apart in every series`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const close = (digits = DIGITS) => ({
  to: (actual: number | null | undefined, expected: number) => {
    expect(actual).not.toBeNull();
    expect(actual).toBeCloseTo(expected, digits);
  },
});

function expectSteadyLatency(latency: { p50: number | null; p95: number | null; p99: number | null }): void {
  close().to(latency.p50, STEADY.latencyMs.p50);
  close().to(latency.p95, STEADY.latencyMs.p95);
  close().to(latency.p99, STEADY.latencyMs.p99);
}

/** The same expectations for every store and every way of reading it. */
function expectSteadyAnswers(app: () => FastifyInstance, at: () => number) {
  it('stats: each workload with its meshed pods and inbound numbers', async () => {
    const res = await app().inject({ url: `/api/v1/stats?kind=deployment&namespace=shop&window=${WINDOW}&at=${at()}` });
    expect(res.statusCode, res.body).toBe(200);
    const rows = StatsResponse.parse(res.json()).rows;
    expect(rows.map((r) => `${r.namespace}/${r.name}`)).toEqual(['shop/api', 'shop/web']);
    const [api, web] = rows as [StatsRow, StatsRow];
    expect(api.meshedPods).toBe(2);
    close().to(api.rps, STEADY.rps);
    close().to(api.successRate, STEADY.successShare);
    expectSteadyLatency(api.latencyMs);
    expect(web).toMatchObject({ meshedPods: 1, rps: null, successRate: null, latencyMs: { p50: null, p95: null, p99: null } });
  });

  it('stats of services: the callers’ view, with the pods of the workloads behind', async () => {
    const res = await app().inject({ url: `/api/v1/stats?kind=service&namespace=all&window=${WINDOW}&at=${at()}` });
    expect(res.statusCode, res.body).toBe(200);
    const [api, ...rest] = StatsResponse.parse(res.json()).rows;
    expect(rest).toEqual([]);
    expect(api).toMatchObject({ namespace: 'shop', name: 'api', meshedPods: 2 });
    close().to(api?.rps, STEADY.rps);
    expectSteadyLatency(api?.latencyMs ?? { p50: null, p95: null, p99: null });
  });

  it('topology: both hops of the edge, no unmeshed client, mTLS all the way', async () => {
    const res = await app().inject({ url: `/api/v1/topology?namespace=all&window=${WINDOW}&at=${at()}` });
    expect(res.statusCode, res.body).toBe(200);
    const g = res.json() as TopologyResponse;
    expect(g.nodes.filter((n) => n.kind !== 'namespace').map((n) => n.id)).toEqual(
      expect.arrayContaining([expect.stringContaining('web'), expect.stringContaining('api')]),
    );
    expect(g.nodes.some((n) => n.kind === 'unmeshed')).toBe(false);
    expect(g.edges).toHaveLength(2);
    for (const e of g.edges) {
      close().to(e.rps, STEADY.rps);
      close().to(e.successRate, STEADY.successShare);
      close().to(e.mtlsShare, 1);
      expectSteadyLatency(e.latencyMs);
    }
  });
}

describe.each(SETUPS)('the API over $name', (setup: Setup) => {
  const lacking = missing(setup);
  const reason = lacking.length > 0 ? ` (skipped: no ${lacking.join(' or ')} binary on PATH or in ${lacking.map((k) => STORE_BIN_VARIABLE[k]).join(', ')})` : '';
  describe.skipIf(lacking.length > 0)(`over the steady mesh${reason}`, () => {
    let aligned = 0;
    const queries: string[] = [];
    const store = (): RunningStore => {
      const r = running.get(setup.name);
      if (!r) throw new Error(`${setup.name} is not running`);
      return r.read;
    };
    beforeAll(async () => {
      aligned = await alignedSecond(store());
    }, 60_000);

    const client = (): PrometheusClient => {
      const inner = createPrometheusClient({ url: store().url, timeoutMs: 5000, auth: { kind: 'none' } });
      return {
        ...inner,
        instant: (q, at) => {
          queries.push(promqlOf(q));
          return inner.instant(q, at);
        },
      };
    };
    const app = () => buildApp({ config: { prometheusUrl: store().url, prometheusTimeoutMs: 5000, logLevel: 'silent' }, prometheus: client() });

    describe('raw series', () => {
      expectSteadyAnswers(app, () => aligned);
      it('live answers (no `at`): each is the answer computed for its own instant, refreshed once per second', async () => {
        // Evaluated 10 s back, where every sample has arrived: at the present instant a store may still be taking a
        // scrape in or a remote-write batch, and two computations of one instant made a moment apart can differ,
        // live answers or not.
        const liveClock = () => Date.now() - 10_000;
        const config = { prometheusUrl: store().url, prometheusTimeoutMs: 5000, logLevel: 'silent', liveRefreshSeconds: 1, liveClock };
        // As meshviz-api runs: its own client, the answers computed in its worker thread; compared with the same
        // instant computed on the main thread (an injected client).
        const api = buildApp({ config });
        const direct = app();
        try {
          for (const url of [
            `/api/v1/stats?kind=deployment&namespace=all&window=${WINDOW}`,
            `/api/v1/topology?namespace=all&window=${WINDOW}`,
            `/api/v1/topology?namespace=shop&window=${WINDOW}`,
          ]) {
            const seen = new Set<string>();
            // The first answer, then the one of a background refresh at least one interval later.
            for (const wait of [0, 1500]) {
              await new Promise((r) => setTimeout(r, wait));
              const live = await api.inject({ url });
              expect(live.statusCode, live.body).toBe(200);
              const { asOf } = live.json() as { asOf: string };
              seen.add(asOf);
              const computed = await direct.inject({ url: `${url}&at=${asOf}` });
              expect(computed.statusCode, computed.body).toBe(200);
              expect(computed.json(), url).toEqual(live.json());
              expect(live.body).toContain('"rps":');
            }
            expect(seen.size, url).toBe(2);
          }
        } finally {
          await Promise.all([api.close(), direct.close()]);
        }
      });
      it('API_RECORDED_WINDOWS without the rule group loaded: the raw series, the same numbers', async () => {
        queries.length = 0;
        const config = { prometheusUrl: store().url, prometheusTimeoutMs: 5000, logLevel: 'silent', recordedWindows: [WINDOW] };
        const res = await buildApp({ config, prometheus: client() }).inject({
          url: `/api/v1/stats?kind=deployment&namespace=shop&window=${WINDOW}&at=${aligned}`,
        });
        expect(res.statusCode, res.body).toBe(200);
        const api = StatsResponse.parse(res.json()).rows.find((r) => r.name === 'api');
        close().to(api?.rps, STEADY.rps);
        expectSteadyLatency(api?.latencyMs ?? { p50: null, p95: null, p99: null });
        expect(queries.filter((q) => q.includes('meshviz:'))).toEqual([]);
        expect(queries.some((q) => q.includes('rate(response_latency_ms_bucket'))).toBe(true);
      });
    });

    describe.skipIf(setup.name !== 'prometheus')('recorded sums (Prometheus evaluates the rule group)', () => {
      const recordedApp = () =>
        buildApp({
          config: { prometheusUrl: store().url, prometheusTimeoutMs: 5000, logLevel: 'silent', recordedWindows: [WINDOW] },
          prometheus: client(),
        });
      /** When the rule group last evaluated before the aligned instant: the recorded sums are the rates as of then. */
      let evaluated = 0;
      beforeAll(async () => {
        await store().setRules(recordingRuleGroup(WINDOW, `${SCRAPE_SECONDS}s`));
        const deadline = Date.now() + 20_000;
        while ((await client().instant('count({__name__=~"meshviz:.*"})')).at(0)?.value !== countRecorded()) {
          if (Date.now() > deadline) throw new Error('Prometheus has not recorded the sums after 20 s');
          await new Promise((r) => setTimeout(r, 250));
        }
        const first = await client().instant('max(timestamp(meshviz:edge_response:rate30s))');
        aligned = await alignedSecond(store(), Math.ceil(first.at(0)?.value ?? 0) + 1);
        const stamp = await client().instant('max(timestamp(meshviz:edge_response:rate30s))', new Date(aligned * 1000));
        evaluated = stamp.at(0)?.value ?? 0;
        queries.length = 0;
      }, 60_000);

      // Exact to the last digit but float order: each number as the raw series give it at the rule group's instant.
      for (const url of [
        `/api/v1/stats?kind=deployment&namespace=shop&window=${WINDOW}`,
        `/api/v1/stats?kind=service&namespace=all&window=${WINDOW}`,
        `/api/v1/topology?namespace=all&window=${WINDOW}`,
      ]) {
        it(`${url.split('?')[0]}: the raw series' numbers at the instant the rule group evaluated`, async () => {
          expect(evaluated).toBeGreaterThan(aligned - 2 * SCRAPE_SECONDS - 1);
          const recorded = await recordedApp().inject({ url: `${url}&at=${aligned}` });
          const raw = await app().inject({ url: `${url}&at=${evaluated}` });
          expect(recorded.statusCode, recorded.body).toBe(200);
          // The rest of each answer, not the instant it names (`asOf`: the call's `at`, and the rule group's).
          expectSameNumbers({ ...(recorded.json() as object), asOf: null }, { ...(raw.json() as object), asOf: null });
          expect(JSON.stringify(recorded.json())).toContain('"rps":');
        });
      }
      it('read the recorded sums, not the raw series', () => {
        expect(queries.some((q) => q.includes('meshviz:edge_response_latency_ms_bucket:rate30s'))).toBe(true);
        expect(queries.some((q) => q.includes('meshviz:workload_response:rate30s'))).toBe(true);
      });
    });
  });
});

/** The same JSON, numbers equal but for float arithmetic. */
function expectSameNumbers(actual: unknown, expected: unknown, at = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(actual, at).toBeCloseTo(expected, 9);
  } else if (expected !== null && typeof expected === 'object') {
    expect(typeof actual, at).toBe('object');
    const keys = Object.keys(expected as object);
    expect(Object.keys(actual as object).sort(), at).toEqual(keys.sort());
    for (const k of keys) expectSameNumbers((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${at}.${k}`);
  } else {
    expect(actual, at).toEqual(expected);
  }
}

/** Series the rule group records for the steady mesh: workload responses (api × 2 classes), workload buckets
 * (api × 5 bounds), edge responses (1 edge × 2 classes), edge buckets (1 edge × 5 bounds). */
function countRecorded(): number {
  return 2 + STEADY.buckets.length + 2 + STEADY.buckets.length;
}
