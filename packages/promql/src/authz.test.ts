import { describe, expect, it } from 'vitest';
import {
  authzHttpAllowRates,
  authzHttpDenyRates,
  authzLatencyBuckets,
  authzResponseRates,
  authzTcpAllowRates,
  authzTcpDenyRates,
  denialsTouching,
  workloadDenialRates,
} from './authz.js';
import { eq } from './label-matchers.js';

const api = { kind: 'deployment', namespace: 'shop', name: 'api', window: '1m' };
const M = 'deployment="api", namespace="shop"';
const ROW = 'srv_kind, srv_name, srv_port, route_kind, route_name, authz_kind, authz_name';

describe('authz queries of one resource', () => {
  it('allowed requests per server, route and authorization; denied ones per client identity', () => {
    expect(authzHttpAllowRates(api).promql).toBe(`sum by (${ROW}) (rate(inbound_http_authz_allow_total{${M}}[1m]))`);
    expect(authzHttpDenyRates(api).promql).toBe(
      `sum by (srv_kind, srv_name, srv_port, route_kind, route_name, client_id) (rate(inbound_http_authz_deny_total{${M}}[1m]))`,
    );
  });
  it('connections allowed and refused on ports checked per connection', () => {
    expect(authzTcpAllowRates(api).promql).toBe(
      `sum by (srv_kind, srv_name, srv_port, authz_kind, authz_name) (rate(inbound_tcp_authz_allow_total{${M}}[1m]))`,
    );
    expect(authzTcpDenyRates(api).promql).toBe(`sum by (srv_kind, srv_name, srv_port, client_id) (rate(inbound_tcp_authz_deny_total{${M}}[1m]))`);
  });
  it('inbound responses and latency buckets by the same server, route and authorization', () => {
    expect(authzResponseRates(api).promql).toBe(
      `sum by (${ROW}, classification) (rate(response_total{deployment="api", direction="inbound", namespace="shop"}[1m]))`,
    );
    expect(authzLatencyBuckets(api).promql).toBe(
      `sum by (le, ${ROW}) (rate(response_latency_ms_bucket{deployment="api", direction="inbound", namespace="shop"}[1m]))`,
    );
  });
  it('a pod, by its own scrape-time label, with names escaped', () => {
    expect(authzTcpDenyRates({ kind: 'pod', namespace: 'shop', name: 'a"b', window: '5m' }).promql).toBe(
      'sum by (srv_kind, srv_name, srv_port, client_id) (rate(inbound_tcp_authz_deny_total{namespace="shop", pod="a\\"b"}[5m]))',
    );
  });
});

describe('refusals per server workload and client identity (topology)', () => {
  const DENY = '__name__=~"inbound_http_authz_deny_total|inbound_tcp_authz_deny_total"';
  it('reads both deny families in one selection', () => {
    expect(workloadDenialRates({ window: '1m', anyOf: [] }).promql).toBe(
      `sum by (namespace, deployment, client_id) (rate({${DENY}}[1m]))`,
    );
  });
  it("one namespace: its own workloads' refusals, and those of its clients elsewhere", () => {
    const [own, clients] = denialsTouching('sh.op').map((set) => workloadDenialRates({ window: '1m', anyOf: [set] }));
    expect(own?.promql).toBe(`sum by (namespace, deployment, client_id) (rate({${DENY}, namespace="sh.op"}[1m]))`);
    expect(clients?.promql).toBe(
      `sum by (namespace, deployment, client_id) (rate({${DENY}, client_id=~"[^.]+\\\\.sh\\\\.op\\\\.serviceaccount\\\\.identity\\\\..+", namespace!="sh.op"}[1m]))`,
    );
  });
  it('narrowed to some workloads', () => {
    expect(workloadDenialRates({ window: '1m', anyOf: [[eq('namespace', 'shop'), eq('deployment', 'api')]] }).promql).toBe(
      `sum by (namespace, deployment, client_id) (rate({${DENY}, deployment="api", namespace="shop"}[1m]))`,
    );
  });
});
