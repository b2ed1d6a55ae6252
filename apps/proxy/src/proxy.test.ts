import http from 'node:http';
import { METRIC } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from './proxy.js';
import { eventually, getText, send, splitAddr, startUpstream, type Upstream } from './testing/http-fixtures.js';
import { parseSamples, select, total } from './testing/prom-text.js';
import { startTestProxy } from './testing/test-config.js';

describe('metrics after a known set of requests', () => {
  let app: Upstream;
  let proxy: ProxyHandle;

  beforeAll(async () => {
    app = await startUpstream((req, res) => {
      res.statusCode = req.url === '/fail' ? 500 : 200;
      res.end();
    });
    proxy = await startTestProxy(app.addr);
    for (let i = 0; i < 7; i++) expect((await send(proxy.addresses.inbound, { path: `/ok/${i}` })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await send(proxy.addresses.inbound, { path: '/fail' })).status).toBe(500);
  });
  afterAll(async () => {
    await proxy.shutdown();
    await app.close();
  });

  it('counts 7 successes and 3 failures exactly, with latency per status', async () => {
    // response_total is counted when the body closes, just after the client saw the end.
    await eventually(async () => {
      const samples = parseSamples((await getText(proxy.addresses.admin, '/metrics')).text);
      const base = { direction: 'inbound', authority: proxy.addresses.inbound, target_addr: app.addr };
      expect(total(samples, METRIC.requestTotal, base)).toBe(10);
      expect(select(samples, METRIC.requestTotal)).toHaveLength(1);
      expect(total(samples, METRIC.responseTotal, { ...base, status_code: '200', classification: 'success' })).toBe(7);
      expect(total(samples, METRIC.responseTotal, { ...base, status_code: '500', classification: 'failure' })).toBe(3);
      expect(select(samples, METRIC.responseTotal)).toHaveLength(2);
      expect(total(samples, `${METRIC.responseLatencyMs}_count`, { ...base, status_code: '200' })).toBe(7);
      expect(total(samples, `${METRIC.responseLatencyMs}_count`, { ...base, status_code: '500' })).toBe(3);
      expect(total(samples, `${METRIC.responseLatencyMs}_bucket`, { status_code: '200', le: '+Inf' })).toBe(7);
      // Raw paths never become labels.
      expect(samples.some((s) => Object.values(s.labels).some((v) => v.startsWith('/ok')))).toBe(false);
    });
  });

  it('answers /ready and /live once every listener is bound', async () => {
    expect(await getText(proxy.addresses.admin, '/ready')).toEqual({ status: 200, text: 'ready\n' });
    expect(await getText(proxy.addresses.admin, '/live')).toEqual({ status: 200, text: 'live\n' });
  });
});

describe('idle series', () => {
  it('are removed after PROXY_METRICS_IDLE_TIMEOUT', async () => {
    const app = await startUpstream();
    const proxy = await startTestProxy(app.addr, { metricsIdleTimeoutMs: 200 });
    try {
      await send(proxy.addresses.inbound, { headers: { host: 'short-lived.example' } });
      const count = async () =>
        select(parseSamples((await getText(proxy.addresses.admin, '/metrics')).text), METRIC.requestTotal, {
          authority: 'short-lived.example',
        }).length;
      expect(await count()).toBe(1);
      await eventually(async () => expect(await count()).toBe(0), 2_000);
      // A new request brings the series back from zero.
      await send(proxy.addresses.inbound, { headers: { host: 'short-lived.example' } });
      expect(await count()).toBe(1);
    } finally {
      await proxy.shutdown();
      await app.close();
    }
  });
});

describe('shutdown', () => {
  it('stops accepting, reports not ready, and lets an in-flight request finish', async () => {
    let received = () => {};
    const arrived = new Promise<void>((resolve) => {
      received = resolve;
    });
    const app = await startUpstream((_req, res) => {
      received();
      setTimeout(() => res.end('finished'), 300);
    });
    const proxy = await startTestProxy(app.addr, { shutdownGracePeriodMs: 5_000 });
    try {
      const inFlight = send(proxy.addresses.inbound);
      await arrived;
      const stopped = proxy.shutdown();
      const [host, port] = splitAddr(proxy.addresses.inbound);
      await expect(send(`${host}:${port}`)).rejects.toThrow(/ECONNREFUSED/);
      expect((await getText(proxy.addresses.admin, '/ready')).status).toBe(503);
      const reply = await inFlight;
      expect(reply.body.toString()).toBe('finished');
      expect(reply.headers.connection).toBe('close');
      await stopped;
    } finally {
      await app.close();
    }
  });

  it('gives up on requests still running after the grace period', async () => {
    const app = await startUpstream(() => {});
    const proxy = await startTestProxy(app.addr, { shutdownGracePeriodMs: 200, responseTimeoutMs: 0 });
    try {
      const [host, port] = splitAddr(proxy.addresses.inbound);
      const hung = new Promise<string>((resolve) => {
        http.get({ host, port, agent: false }, () => resolve('answered')).on('error', (e) => resolve(e.message));
      });
      await eventually(() => expect(app.requests).toHaveLength(1));
      const started = Date.now();
      await proxy.shutdown();
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(await hung).toMatch(/socket hang up|ECONNRESET/);
    } finally {
      await app.close();
    }
  });
});
