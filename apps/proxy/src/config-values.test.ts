import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('structured PROXY_* values', () => {
  it('reads routes, detection, opaque ports, TCP targets and HTTP/2 limits', () => {
    const config = loadConfig({
      PROXY_INBOUND_ROUTES: JSON.stringify([{ name: 'GET /books', method: 'GET', path: '/books' }]),
      PROXY_DETECT_TIMEOUT: '250ms',
      PROXY_OPAQUE_PORTS: '5432, 7000-7002',
      PROXY_OUTBOUND_TCP_TARGETS: '15432=db.data.svc.cluster.local:5432,16379=Cache:6379',
      PROXY_H2_MAX_CONCURRENT_STREAMS: '50',
      PROXY_H2_RESET_RATE_LIMIT: '30/1s',
    });
    expect(config.inboundRoutes).toEqual([{ name: 'GET /books', method: 'GET', path: '/books' }]);
    expect(config.detectTimeoutMs).toBe(250);
    expect([...config.opaquePorts]).toEqual([5432, 7000, 7001, 7002]);
    expect(config.outboundTcpTargets).toEqual([
      { port: 15432, authority: 'db.data.svc.cluster.local:5432' },
      { port: 16379, authority: 'cache:6379' },
    ]);
    expect(config.h2MaxConcurrentStreams).toBe(50);
    expect(config.h2ResetLimit).toEqual({ count: 30, windowMs: 1_000 });
    expect(loadConfig({ PROXY_OPAQUE_PORTS: 'none' }).opaquePorts.size).toBe(0);
  });

  it.each([
    ['PROXY_INBOUND_ROUTES', '[{', 'must be JSON ('],
    ['PROXY_INBOUND_ROUTES', '[{"name":"x","path":"nope"}]', 'PROXY_INBOUND_ROUTES[0].path: '],
    ['PROXY_INBOUND_ROUTES', '[{"name":"bad","pathRegex":"(["}]', 'route "bad": pathRegex is not a valid regular expression'],
    ['PROXY_OPAQUE_PORTS', '80,http', 'list of ports'],
    ['PROXY_OPAQUE_PORTS', '9-1', 'list of ports'],
    ['PROXY_OUTBOUND_TCP_TARGETS', '15432=db', 'listenPort=host:port'],
    ['PROXY_OUTBOUND_TCP_TARGETS', '1=a:1,1=b:2', 'twice'],
    ['PROXY_H2_MAX_CONCURRENT_STREAMS', '0', 'positive integer'],
    ['PROXY_H2_RESET_RATE_LIMIT', '10', '<count>/<duration>'],
  ])('rejects %s=%s naming the variable', (name, value, problem) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(`${name}: ${problem}`.split(': ')[0]);
    expect(() => loadConfig({ [name]: value })).toThrow(problem);
  });
});
