import { PROXY_ERROR_HEADER, PROXY_ERROR_KINDS } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { classify } from '../metrics/classify.js';
import { ProxyError, toProxyError } from './proxy-error.js';
import { ERROR_RESPONSES, errorStatus } from './respond.js';

describe('error kinds', () => {
  it('map to 502/503/504 (400 for a bad Host, nothing for a departed client) in one table', () => {
    expect(Object.keys(ERROR_RESPONSES).sort()).toEqual([...PROXY_ERROR_KINDS].sort());
    expect(errorStatus('no_endpoints')).toBe(503);
    expect(errorStatus('connect_timeout')).toBe(504);
    expect(errorStatus('response_timeout')).toBe(504);
    expect(errorStatus('connect_refused')).toBe(502);
    expect(errorStatus('connection_reset')).toBe(502);
    expect(errorStatus('invalid_authority')).toBe(400);
    expect(errorStatus('client_reset')).toBeNull();
    expect(PROXY_ERROR_HEADER).toBe('x-meshviz-proxy-error');
  });

  it('classify Node errors by code and keep ProxyErrors as they are', () => {
    const code = (c: string) => Object.assign(new Error(c), { code: c });
    expect(toProxyError(code('ECONNREFUSED')).kind).toBe('connect_refused');
    expect(toProxyError(code('ECONNRESET')).kind).toBe('connection_reset');
    expect(toProxyError(code('ENOTFOUND')).kind).toBe('dns_error');
    expect(toProxyError(code('HPE_INVALID_CONSTANT')).kind).toBe('protocol_error');
    expect(toProxyError(new Error('boom')).kind).toBe('internal_error');
    const original = new ProxyError('no_endpoints');
    expect(toProxyError(original)).toBe(original);
  });
});

describe('classify', () => {
  it('fails 5xx, proxy errors and failing gRPC statuses; 4xx succeed', () => {
    expect(classify(200, undefined)).toBe('success');
    expect(classify(404, undefined)).toBe('success');
    expect(classify(500, undefined)).toBe('failure');
    expect(classify(200, 'connection_reset')).toBe('failure');
    expect(classify(null, 'client_reset')).toBe('failure');
    expect(classify(200, undefined, 14)).toBe('failure');
    expect(classify(200, undefined, 5)).toBe('success');
  });
});
