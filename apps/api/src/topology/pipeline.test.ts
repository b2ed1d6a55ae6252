import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_HEALTH_THRESHOLDS, TopologyEdge, TopologyNode } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import type { Graph } from './graph.js';
import { applyHealth } from './health.js';
import { markIdleAndDead } from './idle.js';
import { reasonsByEdge } from './pipeline.js';
import type { TrafficSamples } from './samples.js';
import { applySecurity } from './security.js';
import { buildTrafficMap } from './traffic-map.js';
import { addUnmeshedClients } from './unmeshed.js';

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

describe('topology pipeline', () => {
  it('1 traffic map: workloads, services, namespaces and client → service → workload edges', () => {
    expectGolden('1-traffic-map', buildTrafficMap(samples));
  });
  it('2 unmeshed clients: inbound traffic no meshed caller explains', () => {
    expectGolden('2-unmeshed', addUnmeshedClients(read('1-traffic-map')));
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
});
