import { describe, expect, it } from 'vitest';
import { edgeLatencyBuckets, edgeResponseRates, edgesTouching } from './edges.js';
import { overRecordedSums, recordingRuleGroup } from './recording-rules.js';
import { routeLatencyBuckets } from './routes.js';
import { statsLatencyBuckets, statsMeshedPods, statsResponseRates } from './stats.js';
import { statsTrafficResponseRates } from './stats-traffic.js';

const E = 'namespace, deployment, dst_namespace, dst_service, dst_deployment';
const recorded = new Set(['1m']);

describe('recording rules', () => {
  it('one rule per recorded sum, each the very query the API sends over the whole mesh', () => {
    expect(recordingRuleGroup('1m', '5s')).toBe(
      [
        'groups:',
        '  - name: meshviz-rates-1m',
        '    interval: 5s',
        '    rules:',
        '      - record: meshviz:workload_response:rate1m',
        `        expr: ${statsResponseRates({ groupBy: 'deployment', namespace: null, window: '1m' }).promql}`,
        '      - record: meshviz:workload_response_latency_ms_bucket:rate1m',
        `        expr: ${statsLatencyBuckets({ groupBy: 'deployment', namespace: null, window: '1m' }).promql}`,
        '      - record: meshviz:edge_response:rate1m',
        `        expr: ${edgeResponseRates({ window: '1m', anyOf: [] }).promql}`,
        '      - record: meshviz:edge_response_latency_ms_bucket:rate1m',
        `        expr: ${edgeLatencyBuckets({ window: '1m', anyOf: [] }).promql}`,
        '',
      ].join('\n'),
    );
  });
  it('refuses a window or interval that is not a duration', () => {
    expect(() => recordingRuleGroup('1m]) or vector(1', '5s')).toThrow(/window/);
    expect(() => recordingRuleGroup('1m', 'often')).toThrow(/interval/);
  });
  it('reads the recorded sums for a recorded window, the same groups and matchers', () => {
    expect(overRecordedSums(edgeLatencyBuckets({ window: '1m', anyOf: [] }), recorded).promql).toBe(
      `sum by (le, ${E}) (meshviz:edge_response_latency_ms_bucket:rate1m{})`,
    );
    expect(overRecordedSums(edgeResponseRates({ window: '1m', anyOf: edgesTouching('shop') }), recorded).promql).toBe(
      `sum by (${E}, classification, tls, no_tls_reason) (meshviz:edge_response:rate1m{namespace="shop"}) or ` +
        `sum by (${E}, classification, tls, no_tls_reason) (meshviz:edge_response:rate1m{dst_namespace="shop", namespace!="shop"})`,
    );
    expect(overRecordedSums(statsResponseRates({ groupBy: 'deployment', namespace: 'shop', name: 'web', window: '1m' }), recorded).promql).toBe(
      'sum by (namespace, deployment, classification) (meshviz:workload_response:rate1m{deployment="web", namespace="shop"})',
    );
    // Rows of services are named by the callers' dst_* labels, which the edge sums keep.
    expect(overRecordedSums(statsTrafficResponseRates({ kind: 'service', namespace: null, window: '1m' }), recorded).promql).toBe(
      'sum by (dst_namespace, dst_service, dst_deployment, classification) (meshviz:edge_response:rate1m{dst_service!=""})',
    );
  });
  it('leaves alone what no recorded sum keeps: other windows, pods, other families, gauges', () => {
    const untouched = [
      statsLatencyBuckets({ groupBy: 'deployment', namespace: null, window: '5m' }),
      statsLatencyBuckets({ groupBy: 'pod', namespace: 'shop', deployment: 'web', window: '1m' }),
      routeLatencyBuckets({ namespace: 'shop', workload: 'web', window: '1m' }),
      statsMeshedPods({ groupBy: 'deployment', namespace: null, window: '1m' }),
      statsTrafficResponseRates({ kind: 'deployment', namespace: null, window: '1m', to: { kind: 'pod', name: 'web-0' } }),
    ];
    for (const q of untouched) expect(overRecordedSums(q, recorded)).toBe(q);
  });
});
