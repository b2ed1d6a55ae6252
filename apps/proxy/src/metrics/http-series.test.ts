import { METRIC } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { TLS_DISABLED } from '../core/tls-status.js';
import { parseSamples, select, total } from '../testing/prom-text.js';
import { createProxyMetrics } from './registry.js';

const endpoint = {
  key: 'ep-1',
  targetAddr: '127.0.0.1:4143',
  meta: { service: 'catalog', namespace: 'bookshop', deployment: 'catalog', pod: 'catalog-0' },
};

describe('HttpSeries', () => {
  it('labels per the telemetry contract (docs/architecture.md) and never emits scrape-time label names', async () => {
    const metrics = createProxyMetrics({ idleTimeoutMs: 60_000, version: 'test' });
    try {
      const series = metrics.http.get('outbound', 'catalog.bookshop.svc.cluster.local', endpoint, TLS_DISABLED);
      series.countRequest();
      series.observeLatency(200, 1.5);
      series.countResponse(200, 'success', undefined);
      const samples = parseSamples(await metrics.registry.metrics());
      const [request] = select(samples, METRIC.requestTotal);
      expect(request?.labels).toEqual({
        direction: 'outbound',
        authority: 'catalog.bookshop.svc.cluster.local',
        tls: 'no_identity',
        no_tls_reason: 'disabled',
        target_addr: '127.0.0.1:4143',
        dst_namespace: 'bookshop',
        dst_service: 'catalog',
        dst_deployment: 'catalog',
        dst_pod: 'catalog-0',
      });
      expect(select(samples, METRIC.responseTotal)[0]?.labels).toMatchObject({ status_code: '200', classification: 'success' });
      expect(total(samples, `${METRIC.responseLatencyMs}_bucket`, { le: '2', status_code: '200' })).toBe(1);
      expect(total(samples, `${METRIC.responseLatencyMs}_bucket`, { le: '1', status_code: '200' })).toBe(0);
      for (const s of samples) {
        expect(Object.keys(s.labels)).not.toContain('namespace');
        expect(Object.keys(s.labels)).not.toContain('deployment');
        expect(Object.keys(s.labels)).not.toContain('pod');
      }
    } finally {
      metrics.close();
    }
  });

  it('reuses cached children and removes series idle past the timeout, but not ones with a response in flight', async () => {
    const metrics = createProxyMetrics({ idleTimeoutMs: 1_000, version: 'test' });
    try {
      const busy = metrics.http.get('inbound', 'busy', { key: 'b', targetAddr: '127.0.0.1:1' }, TLS_DISABLED);
      const idle = metrics.http.get('inbound', 'idle', { key: 'i', targetAddr: '127.0.0.1:1' }, TLS_DISABLED);
      expect(metrics.http.get('inbound', 'idle', { key: 'i', targetAddr: '127.0.0.1:1' }, TLS_DISABLED)).toBe(idle);
      idle.countRequest();
      idle.observeLatency(500, 3);
      idle.countResponse(500, 'failure', undefined);
      busy.countRequest(); // response still streaming

      metrics.http.sweep(performance.now() + 5_000);
      const samples = parseSamples(await metrics.registry.metrics());
      expect(select(samples, METRIC.requestTotal, { authority: 'idle' })).toEqual([]);
      expect(select(samples, METRIC.responseTotal, { authority: 'idle' })).toEqual([]);
      expect(select(samples, `${METRIC.responseLatencyMs}_count`, { authority: 'idle' })).toEqual([]);
      expect(total(samples, METRIC.requestTotal, { authority: 'busy' })).toBe(1);
    } finally {
      metrics.close();
    }
  });

  it('gives a series swept away a new one when its traffic comes back, even right after the lookup that found it', async () => {
    const metrics = createProxyMetrics({ idleTimeoutMs: 1_000, version: 'test' });
    const target = { key: 'r', targetAddr: '127.0.0.1:1' };
    try {
      const first = metrics.http.get('inbound', 'returning', target, TLS_DISABLED);
      first.countRequest();
      first.countResponse(200, 'success', undefined);
      metrics.http.sweep(performance.now() + 5_000);
      expect(select(parseSamples(await metrics.registry.metrics()), METRIC.requestTotal, { authority: 'returning' })).toEqual([]);

      // The same lookup as the last one: it must not hand back the series that is gone from the registry.
      const again = metrics.http.get('inbound', 'returning', target, TLS_DISABLED);
      expect(again).not.toBe(first);
      again.countRequest();
      again.countResponse(200, 'success', undefined);
      const samples = parseSamples(await metrics.registry.metrics());
      expect(total(samples, METRIC.requestTotal, { authority: 'returning' })).toBe(1);
      expect(total(samples, METRIC.responseTotal, { authority: 'returning', status_code: '200' })).toBe(1);
    } finally {
      metrics.close();
    }
  });

  it('exposes proxy_build_info and process metrics on its own registry', async () => {
    const metrics = createProxyMetrics({ idleTimeoutMs: 60_000, version: '9.9.9' });
    try {
      const text = await metrics.registry.metrics();
      expect(text).toContain('proxy_build_info{version="9.9.9"} 1');
      expect(text).toContain('process_cpu_seconds_total');
    } finally {
      metrics.close();
    }
  });
});
