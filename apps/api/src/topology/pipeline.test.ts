import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_HEALTH_THRESHOLDS, TopologyEdge, TopologyNode } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { applyDenials } from './denials.js';
import type { Graph } from './graph.js';
import { applyHealth } from './health.js';
import { markIdleAndDead } from './idle.js';
import { reasonsByEdge, retriesByService, serversByEdge } from './pipeline.js';
import type { TrafficSamples } from './samples.js';
import { applySecurity } from './security.js';
import { applySplits } from './splits.js';
import { buildTrafficMap } from './traffic-map.js';
import { addUnmeshedClients, unmeshedThreshold } from './unmeshed.js';

/**
 * Each step of the topology pipeline against golden JSON: the output of one step is the input of the next.
 * Regenerate with UPDATE_GOLDEN=1 after a deliberate change, and review the diff.
 */
const golden = (name: string) => new URL(`./golden/${name}.json`, import.meta.url);
const read = <T>(name: string): T => JSON.parse(readFileSync(golden(name), 'utf8')) as T;

function expectGolden(name: string, actual: Graph): void {
  for (const n of actual.nodes) TopologyNode.parse(n);
  for (const e of actual.edges) TopologyEdge.parse(e);
  if (process.env.UPDATE_GOLDEN) writeFileSync(golden(name), `${JSON.stringify(actual, null, 2)}\n`);
  expect(actual).toEqual(read<Graph>(name));
}

const samples = read<TrafficSamples>('samples');
/** A 1m window over counters scraped every 5s, the local runtime's default. */
const noise = { windowSeconds: 60, scrapeSeconds: 5 };

describe('unmeshed threshold', () => {
  it('grows with the noise of the rates: slower scrapes and shorter windows', () => {
    expect(unmeshedThreshold(5, { windowSeconds: 60, scrapeSeconds: 1 })).toBeCloseTo(0.2236, 4);
    expect(unmeshedThreshold(5, { windowSeconds: 60, scrapeSeconds: 5 })).toBeCloseTo(0.5, 4);
    expect(unmeshedThreshold(5, { windowSeconds: 600, scrapeSeconds: 5 })).toBeCloseTo(0.05, 4);
  });
  it('asks for a few requests at least, however quiet the workload', () => {
    expect(unmeshedThreshold(0, { windowSeconds: 60, scrapeSeconds: 5 })).toBe(3 / 60);
  });
  it('takes the jitter seen between the demo payments service and its caller for noise, and 1 rps for a client', () => {
    // Observed in the demo (1s scrapes, 1m window): payments answered up to 0.11 rps more than web sent.
    const t = unmeshedThreshold(5, { windowSeconds: 60, scrapeSeconds: 1 });
    expect(0.11).toBeLessThan(t);
    expect(1).toBeGreaterThan(t);
  });
});

describe('topology pipeline', () => {
  it('1 traffic map: workloads, services, namespaces and client → service → workload edges', () => {
    expectGolden('1-traffic-map', buildTrafficMap(samples));
  });
  it('2 unmeshed clients: inbound traffic no meshed caller explains, beyond the noise of the two measurements', () => {
    const g = addUnmeshedClients(read('1-traffic-map'), noise, retriesByService(samples));
    expectGolden('2-unmeshed', g);
    // shop/web answered 10 rps, its meshed callers sent 6: a client without a proxy sent the rest.
    expect(g.nodes.map((n) => n.id)).toContain('unmeshed/shop/web');
    // shop/catalog answered 8.3 rps for 8 sent: 0.3 rps (18 requests a minute) is within the noise of two
    // counters scraped every 5 s, not a client. A fixed 2% share took it for one, and it came and went.
    expect(g.nodes.map((n) => n.id)).not.toContain('unmeshed/shop/catalog');
    // shop/stock answered 3 rps: the 2 its callers asked for and 1 their proxies retried. No client is missing.
    expect(g.nodes.map((n) => n.id)).not.toContain('unmeshed/shop/stock');
    const withoutRetries = addUnmeshedClients(read('1-traffic-map'), noise, new Map());
    expect(withoutRetries.nodes.map((n) => n.id)).toContain('unmeshed/shop/stock');
  });
  it('3 health from success rate against the thresholds', () => {
    expectGolden('3-health', applyHealth(read('2-unmeshed'), DEFAULT_HEALTH_THRESHOLDS));
  });
  it('4 security: secured edges, and why the others are not', () => {
    expectGolden('4-security', applySecurity(read('3-health'), reasonsByEdge(samples)));
  });
  it('5 idle and dead nodes', () => {
    expectGolden('5-idle-dead', markIdleAndDead(read('4-security')));
  });
  it("6 denials: what the workloads behind a service refused from the client's identity", () => {
    const g = applyDenials(read('5-idle-dead'), samples.denials ?? [], samples.identities ?? [], serversByEdge(samples));
    expectGolden('6-denials', g);
    const denied = Object.fromEntries(g.edges.filter((e) => e.deniedRps !== undefined).map((e) => [e.id, e.deniedRps]));
    expect(denied).toEqual({
      'deployment/shop/web->service/shop/catalog': 0.4,
      // Both workloads behind stock refused web.
      'deployment/shop/web->service/shop/stock': 0.3,
    });
    // Left out: payments refused clients without mTLS ("") and catalog, which does not call it; web refused
    // loadgen's identity, but loadgen's proxies name none, and identities past the limit ("other").
  });
  it('7 splits: a split service drawn to its backends with measured share and configured weight', () => {
    const g = applySplits(read('6-denials'), samples.splits ?? [], samples.configuredSplits ?? [], DEFAULT_HEALTH_THRESHOLDS);
    expectGolden('7-splits', g);
    const marked = Object.fromEntries(
      g.edges.filter((e) => e.share !== undefined).map((e) => [e.id, [e.share, e.weight, e.configuredShare, e.rps, e.health]]),
    );
    expect(marked).toEqual({
      // stock sent 2.4 of its 3 routed requests per second to itself (its own workload), 0.6 to stock-v2.
      'service/shop/stock->deployment/shop/stock': [expect.closeTo(0.8, 12), 80, 0.8, 2, 'healthy'],
      // One in six of stock-v2's answers failed.
      'service/shop/stock->service/shop/stock-v2': [expect.closeTo(0.2, 12), 20, 0.2, 0.6, 'failing'],
    });
    // stock-v2 is called by nobody else: what the split sent it is its traffic.
    expect(g.nodes.find((n) => n.id === 'service/shop/stock-v2')).toMatchObject({ rps: 0.6, successRate: 0.5 / 0.6, health: 'failing' });
    // stock's admin route (idle in the window) gives stock another weight: the weights in force are those of the
    // route that carried traffic. catalog only sends to itself (no split); ghost is configured, and not in the graph.
    expect(g.edges.some((e) => e.source === 'service/shop/catalog' && e.share !== undefined)).toBe(false);
    expect(g.nodes.map((n) => n.id).filter((id) => id.includes('ghost'))).toEqual([]);
  });
});
