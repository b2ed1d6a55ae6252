import { describe, expect, it } from 'vitest';
import { authorityLabel, parseAuthority } from './authority.js';
import { stripHopByHop } from './hop-by-hop.js';

describe('stripHopByHop', () => {
  it('drops the fixed hop-by-hop fields and those Connection names, keeping case, order and duplicates', () => {
    const raw = [
      'Host', 'svc',
      'Connection', 'keep-alive, X-Debug',
      'Keep-Alive', 'timeout=5',
      'Proxy-Connection', 'keep-alive',
      'Upgrade', 'websocket',
      'X-Debug', '1',
      'Set-Cookie', 'a=1',
      'Set-Cookie', 'b=2',
    ];
    expect(stripHopByHop(raw, 'response')).toEqual(['Host', 'svc', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']);
  });

  it('keeps TE: trailers on requests even when Connection lists TE, and nothing else of TE', () => {
    expect(stripHopByHop(['Connection', 'TE', 'TE', 'trailers, deflate'], 'request')).toEqual(['te', 'trailers']);
    expect(stripHopByHop(['TE', 'deflate'], 'request')).toEqual([]);
  });

  it('re-declares chunked framing for a chunked request body and leaves responses to Node', () => {
    expect(stripHopByHop(['Transfer-Encoding', 'chunked'], 'request')).toEqual(['transfer-encoding', 'chunked']);
    expect(stripHopByHop(['Transfer-Encoding', 'chunked'], 'response')).toEqual([]);
  });

  it('keeps content-length and end-to-end Trailer declarations', () => {
    const raw = ['Content-Length', '3', 'Trailer', 'grpc-status'];
    expect(stripHopByHop(raw, 'response')).toEqual(raw);
  });
});

describe('authority', () => {
  it('labels well-formed Host values lower-cased and everything else as ""', () => {
    expect(authorityLabel('Catalog.Bookshop.svc.cluster.local:8080')).toBe('catalog.bookshop.svc.cluster.local:8080');
    expect(authorityLabel('[::1]:80')).toBe('[::1]:80');
    expect(authorityLabel(undefined)).toBe('');
    expect(authorityLabel('a b')).toBe('');
    expect(authorityLabel('x/../y')).toBe('');
    expect(authorityLabel('a'.repeat(300))).toBe('');
  });

  it('parses host and optional port for routing', () => {
    expect(parseAuthority('catalog.bookshop.svc.cluster.local.')).toEqual({
      host: 'catalog.bookshop.svc.cluster.local',
      port: undefined,
    });
    expect(parseAuthority('web:8080')).toEqual({ host: 'web', port: 8080 });
    expect(parseAuthority('[::1]:81')).toEqual({ host: '::1', port: 81 });
    expect(parseAuthority('web:0')).toBeNull();
    expect(parseAuthority('')).toBeNull();
  });
});
