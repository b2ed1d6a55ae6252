import { describe, expect, it } from 'vitest';
import { formatHostPort, hostPortVariable } from './host-port.js';

describe('hostPortVariable', () => {
  const listen = hostPortVariable({ allowZero: true });
  const connect = hostPortVariable({ allowZero: false });

  it('reads host names, IPv4 and bracketed IPv6', () => {
    expect(listen.parse('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(connect.parse('localhost:4140')).toEqual({ host: 'localhost', port: 4140 });
    expect(connect.parse('[::1]:4191')).toEqual({ host: '::1', port: 4191 });
    expect(formatHostPort({ host: '::1', port: 4191 })).toBe('[::1]:4191');
  });

  it.each(['localhost', ':80', 'a:b', '::1:80', 'host:65536'])('rejects %s', (value) => {
    expect(listen.safeParse(value).success).toBe(false);
  });

  it('allows port 0 only for listeners', () => {
    expect(connect.safeParse('127.0.0.1:0').success).toBe(false);
  });
});
