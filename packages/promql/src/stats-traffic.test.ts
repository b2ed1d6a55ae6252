import { describe, expect, it } from 'vitest';
import { statsLatencyBuckets, statsMeshedPods, statsResponseRates } from './stats.js';
import {
  type StatsTrafficScope,
  statsSelection,
  statsTcpOpenConnections,
  statsTcpReadBytes,
  statsTcpWriteBytes,
  statsTrafficLatencyBuckets,
  statsTrafficMeshedPods,
  statsTrafficResponseRates,
} from './stats-traffic.js';

const all = (s: StatsTrafficScope) =>
  [
    statsTrafficMeshedPods(s),
    statsTrafficResponseRates(s),
    statsTrafficLatencyBuckets(s),
    statsTcpOpenConnections(s),
    statsTcpReadBytes(s),
    statsTcpWriteBytes(s),
  ].map((q) => q.promql);

describe('stats queries with to, from and services', () => {
  it('without to/from: the inbound queries of stats.ts, and inbound tcp on the accepted side', () => {
    const s = { kind: 'deployment', namespace: 'bookshop', window: '1m' } as const;
    expect(statsTrafficMeshedPods(s).promql).toBe(statsMeshedPods({ groupBy: 'deployment', namespace: 'bookshop', window: '1m' }).promql);
    expect(statsTrafficResponseRates(s).promql).toBe(statsResponseRates({ groupBy: 'deployment', namespace: 'bookshop', window: '1m' }).promql);
    expect(statsTrafficLatencyBuckets(s).promql).toBe(statsLatencyBuckets({ groupBy: 'deployment', namespace: 'bookshop', window: '1m' }).promql);
    expect(all({ ...s, namespace: null })).toEqual([
      'count by (namespace, deployment) (proxy_build_info{})',
      'sum by (namespace, deployment, classification) (rate(response_total{direction="inbound"}[1m]))',
      'sum by (le, namespace, deployment) (rate(response_latency_ms_bucket{direction="inbound"}[1m]))',
      'sum by (namespace, deployment) (tcp_open_connections{direction="inbound", peer="src"})',
      'sum by (namespace, deployment) (rate(tcp_read_bytes_total{direction="inbound", peer="src"}[1m]))',
      'sum by (namespace, deployment) (rate(tcp_write_bytes_total{direction="inbound", peer="src"}[1m]))',
    ]);
  });

  it('to: the rows’ outbound series towards the destination’s dst_* labels', () => {
    expect(
      all({ kind: 'deployment', namespace: 'bookshop', window: '1m', to: { kind: 'deployment', name: 'payments', namespace: 'billing' } }),
    ).toEqual([
      'count by (namespace, deployment) (proxy_build_info{namespace="bookshop"})',
      'sum by (namespace, deployment, classification) (rate(response_total{direction="outbound", dst_deployment="payments", dst_namespace="billing", namespace="bookshop"}[1m]))',
      'sum by (le, namespace, deployment) (rate(response_latency_ms_bucket{direction="outbound", dst_deployment="payments", dst_namespace="billing", namespace="bookshop"}[1m]))',
      'sum by (namespace, deployment) (tcp_open_connections{direction="outbound", dst_deployment="payments", dst_namespace="billing", namespace="bookshop", peer="dst"})',
      'sum by (namespace, deployment) (rate(tcp_read_bytes_total{direction="outbound", dst_deployment="payments", dst_namespace="billing", namespace="bookshop", peer="dst"}[1m]))',
      'sum by (namespace, deployment) (rate(tcp_write_bytes_total{direction="outbound", dst_deployment="payments", dst_namespace="billing", namespace="bookshop", peer="dst"}[1m]))',
    ]);
  });

  it('to a service, a pod, a namespace, or any destination of a kind', () => {
    expect(statsTrafficResponseRates({ kind: 'pod', namespace: null, window: '5m', to: { kind: 'service', name: 'payments' } }).promql).toBe(
      'sum by (namespace, pod, classification) (rate(response_total{direction="outbound", dst_service="payments"}[5m]))',
    );
    expect(statsTrafficResponseRates({ kind: 'deployment', namespace: null, window: '1m', to: { kind: 'pod', name: 'web-0', namespace: 'bookshop' } }).promql).toBe(
      'sum by (namespace, deployment, classification) (rate(response_total{direction="outbound", dst_namespace="bookshop", dst_pod="web-0"}[1m]))',
    );
    expect(statsTrafficLatencyBuckets({ kind: 'namespace', namespace: null, window: '1m', to: { kind: 'namespace', name: 'billing' } }).promql).toBe(
      'sum by (le, namespace) (rate(response_latency_ms_bucket{direction="outbound", dst_namespace="billing"}[1m]))',
    );
    expect(statsTrafficResponseRates({ kind: 'statefulset', namespace: 'db', window: '1m', to: { kind: 'service' } }).promql).toBe(
      'sum by (namespace, statefulset, classification) (rate(response_total{direction="outbound", dst_service!="", namespace="db"}[1m]))',
    );
  });

  it('from: the source’s outbound series, rows named by their dst_* labels, meshed pods by the same values', () => {
    const s = { kind: 'deployment', namespace: 'bookshop', window: '1m', from: { kind: 'deployment', name: 'loadgen', namespace: 'traffic' } } as const;
    expect(statsSelection(s).rowLabels).toEqual(['dst_namespace', 'dst_deployment']);
    expect(all(s)).toEqual([
      'count by (namespace, deployment) (proxy_build_info{namespace="bookshop"})',
      'sum by (dst_namespace, dst_deployment, classification) (rate(response_total{deployment="loadgen", direction="outbound", dst_deployment!="", dst_namespace="bookshop", namespace="traffic"}[1m]))',
      'sum by (le, dst_namespace, dst_deployment) (rate(response_latency_ms_bucket{deployment="loadgen", direction="outbound", dst_deployment!="", dst_namespace="bookshop", namespace="traffic"}[1m]))',
      'sum by (dst_namespace, dst_deployment) (tcp_open_connections{deployment="loadgen", direction="outbound", dst_deployment!="", dst_namespace="bookshop", namespace="traffic", peer="dst"})',
      'sum by (dst_namespace, dst_deployment) (rate(tcp_read_bytes_total{deployment="loadgen", direction="outbound", dst_deployment!="", dst_namespace="bookshop", namespace="traffic", peer="dst"}[1m]))',
      'sum by (dst_namespace, dst_deployment) (rate(tcp_write_bytes_total{deployment="loadgen", direction="outbound", dst_deployment!="", dst_namespace="bookshop", namespace="traffic", peer="dst"}[1m]))',
    ]);
  });

  it('from a namespace, a pod, or any source of a kind; namespace rows', () => {
    expect(statsTrafficResponseRates({ kind: 'namespace', namespace: null, window: '1m', from: { kind: 'namespace', name: 'traffic' } }).promql).toBe(
      'sum by (dst_namespace, classification) (rate(response_total{direction="outbound", dst_namespace!="", namespace="traffic"}[1m]))',
    );
    expect(statsTrafficResponseRates({ kind: 'pod', namespace: 'bookshop', window: '1m', from: { kind: 'pod', name: 'web-0', namespace: 'bookshop' } }).promql).toBe(
      'sum by (dst_namespace, dst_pod, classification) (rate(response_total{direction="outbound", dst_namespace="bookshop", dst_pod!="", namespace="bookshop", pod="web-0"}[1m]))',
    );
    expect(statsTrafficLatencyBuckets({ kind: 'deployment', namespace: null, window: '1m', from: { kind: 'statefulset' } }).promql).toBe(
      'sum by (le, dst_namespace, dst_deployment) (rate(response_latency_ms_bucket{direction="outbound", dst_deployment!="", statefulset!=""}[1m]))',
    );
  });

  it('services: the callers’ outbound series by dst_service, dst_deployment kept for the meshed pods behind each', () => {
    expect(all({ kind: 'service', namespace: null, window: '1m' })).toEqual([
      'count by (namespace, deployment) (proxy_build_info{})',
      'sum by (dst_namespace, dst_service, dst_deployment, classification) (rate(response_total{direction="outbound", dst_service!=""}[1m]))',
      'sum by (le, dst_namespace, dst_service) (rate(response_latency_ms_bucket{direction="outbound", dst_service!=""}[1m]))',
      'sum by (dst_namespace, dst_service) (tcp_open_connections{direction="outbound", dst_service!="", peer="dst"})',
      'sum by (dst_namespace, dst_service) (rate(tcp_read_bytes_total{direction="outbound", dst_service!="", peer="dst"}[1m]))',
      'sum by (dst_namespace, dst_service) (rate(tcp_write_bytes_total{direction="outbound", dst_service!="", peer="dst"}[1m]))',
    ]);
    expect(statsTrafficResponseRates({ kind: 'service', namespace: 'billing', window: '5m', from: { kind: 'deployment', name: 'web', namespace: 'bookshop' } }).promql).toBe(
      'sum by (dst_namespace, dst_service, dst_deployment, classification) (rate(response_total{deployment="web", direction="outbound", dst_namespace="billing", dst_service!="", namespace="bookshop"}[5m]))',
    );
    expect(statsTrafficMeshedPods({ kind: 'service', namespace: 'billing', window: '5m' }).promql).toBe(
      'count by (namespace, deployment) (proxy_build_info{namespace="billing"})',
    );
  });

  it('escapes every label value, so no input can change the query', () => {
    const evil = 'a"} or vector(1) or {x="\\';
    expect(
      statsTrafficResponseRates({ kind: 'deployment', namespace: 'ns\n', window: '1m', to: { kind: 'service', name: evil, namespace: 'b"' } }).promql,
    ).toBe(
      'sum by (namespace, deployment, classification) (rate(response_total{direction="outbound", dst_namespace="b\\"", dst_service="a\\"} or vector(1) or {x=\\"\\\\", namespace="ns\\n"}[1m]))',
    );
    expect(statsTcpOpenConnections({ kind: 'service', namespace: evil, window: '1m', from: { kind: 'deployment', name: evil, namespace: 'x' } }).promql).toBe(
      'sum by (dst_namespace, dst_service) (tcp_open_connections{deployment="a\\"} or vector(1) or {x=\\"\\\\", direction="outbound", dst_namespace="a\\"} or vector(1) or {x=\\"\\\\", dst_service!="", namespace="x", peer="dst"})',
    );
  });

  it('refuses what the API schema refuses: to with from, services with to, from with rows dst_* labels cannot name', () => {
    const base = { namespace: null, window: '1m' } as const;
    expect(() => statsSelection({ ...base, kind: 'deployment', to: { kind: 'service' }, from: { kind: 'deployment' } })).toThrow(/combined/);
    expect(() => statsSelection({ ...base, kind: 'service', to: { kind: 'service' } })).toThrow(/service rows/);
    expect(() => statsSelection({ ...base, kind: 'statefulset', from: { kind: 'deployment' } })).toThrow(/statefulset/);
  });
});
