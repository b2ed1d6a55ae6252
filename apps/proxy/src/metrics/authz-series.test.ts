import { AUTHZ_CLIENT_ID_LIMIT, AUTHZ_OTHER_CLIENTS } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { noTls, securedTls } from '../core/tls-status.js';
import { defaultPort } from '../policy/compile.js';
import { parseSamples, select, total } from '../testing/prom-text.js';
import { createProxyMetrics } from './registry.js';

const deny = defaultPort(8080, { defaultPolicy: 'deny', clusterNetworks: [], probePaths: [] });
const client = (i: number) => `c${i}.shop.serviceaccount.identity.meshviz.cluster.local`;

describe('AuthzSeries', () => {
  it(`names at most ${AUTHZ_CLIENT_ID_LIMIT} denied clients per server and counts the rest as "${AUTHZ_OTHER_CLIENTS}"`, async () => {
    const metrics = createProxyMetrics({ idleTimeoutMs: 60_000, version: 'test' });
    try {
      const decision = deny.decideTcp(noTls('no_tls_from_remote'), '10.0.0.1:1');
      for (let i = 0; i < AUTHZ_CLIENT_ID_LIMIT + 6; i++) metrics.authz.tcp(decision, securedTls(client(i)));
      metrics.authz.tcp(decision, securedTls(client(0)));
      metrics.authz.tcp(decision, noTls('no_tls_from_remote'));
      const samples = select(parseSamples(await metrics.registry.metrics()), 'inbound_tcp_authz_deny_total');
      expect(samples).toHaveLength(AUTHZ_CLIENT_ID_LIMIT + 2);
      expect(total(samples, 'inbound_tcp_authz_deny_total', { client_id: client(0) })).toBe(2);
      expect(total(samples, 'inbound_tcp_authz_deny_total', { client_id: AUTHZ_OTHER_CLIENTS, tls: 'true' })).toBe(6);
      expect(total(samples, 'inbound_tcp_authz_deny_total', { client_id: '', no_tls_reason: 'no_tls_from_remote' })).toBe(1);
      expect(samples.find((s) => s.labels.client_id === client(0))?.labels).toEqual({
        srv_kind: 'default',
        srv_name: 'deny',
        srv_port: '8080',
        client_id: client(0),
        tls: 'true',
      });
    } finally {
      metrics.close();
    }
  });

  it('removes idle series and frees their client slots', async () => {
    const metrics = createProxyMetrics({ idleTimeoutMs: 60_000, version: 'test' });
    try {
      const decision = deny.decideTcp(noTls('no_tls_from_remote'), '10.0.0.1:1');
      for (let i = 0; i < AUTHZ_CLIENT_ID_LIMIT; i++) metrics.authz.tcp(decision, securedTls(client(i)));
      metrics.authz.sweep(performance.now() + 120_000);
      expect(select(parseSamples(await metrics.registry.metrics()), 'inbound_tcp_authz_deny_total')).toEqual([]);
      metrics.authz.tcp(decision, securedTls(client(1000)));
      const samples = select(parseSamples(await metrics.registry.metrics()), 'inbound_tcp_authz_deny_total');
      expect(samples.map((s) => s.labels.client_id)).toEqual([client(1000)]);
    } finally {
      metrics.close();
    }
  });
});
