import { describe, expect, it } from 'vitest';
import { endpointPath, endpointUrl, queryString } from './endpoint-url.js';
import { ENDPOINTS, STREAMS } from './endpoints.js';

describe('endpointUrl', () => {
  it('fills path parameters, escaped, and leaves undefined query parameters out, keeping order', () => {
    expect(endpointUrl(ENDPOINTS.workloadDetail, { params: { namespace: 'shop', name: 'web' }, query: { window: '1m', at: undefined } })).toBe(
      '/api/v1/workloads/shop/web?window=1m',
    );
    expect(endpointUrl(ENDPOINTS.serviceDetail, { params: { namespace: 'shop', name: 'it ems/../x' } })).toBe(
      '/api/v1/services/shop/it%20ems%2F..%2Fx',
    );
    expect(endpointUrl(ENDPOINTS.timeseries, { query: { kind: 'route', namespace: 'a', name: 'b', route: '' } })).toBe(
      '/api/v1/timeseries?kind=route&namespace=a&name=b&route=',
    );
    expect(endpointUrl(ENDPOINTS.check, {})).toBe('/api/v1/check');
    expect(endpointUrl(STREAMS.top, { query: { namespace: 'bookshop', path: '/a b', max_rps: '20' } })).toBe(
      '/api/v1/top?namespace=bookshop&path=%2Fa+b&max_rps=20',
    );
  });

  it('refuses a path parameter left out, naming it', () => {
    expect(() => endpointPath(ENDPOINTS.workloadDetail, { namespace: 'shop' })).toThrow('/api/v1/workloads/{namespace}/{name} needs the path parameter "name"');
  });

  it('writes no question mark when no parameter is left', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: undefined })).toBe('');
    expect(queryString({ b: '2', a: '1' })).toBe('?b=2&a=1');
  });
});
