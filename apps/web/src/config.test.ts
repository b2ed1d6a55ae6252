import { describe, expect, it } from 'vitest';
import { ConfigError, parseWebConfig } from './config';

describe('parseWebConfig', () => {
  it('reads the API base URL without a trailing slash', () => {
    expect(parseWebConfig({ MESHVIZ_API_URL: 'http://127.0.0.1:8085/' }).apiBaseUrl.href).toBe('http://127.0.0.1:8085/');
    expect(parseWebConfig({ MESHVIZ_API_URL: 'http://api.local/mesh/' }).apiBaseUrl.pathname).toBe('/mesh');
  });

  it('fails naming the variable when it is missing', () => {
    expect(() => parseWebConfig({})).toThrow(ConfigError);
    expect(() => parseWebConfig({ MESHVIZ_API_URL: '  ' })).toThrow(/MESHVIZ_API_URL is not set/);
  });

  it('fails naming the variable when it is not an http(s) URL', () => {
    expect(() => parseWebConfig({ MESHVIZ_API_URL: 'localhost:8085' })).toThrow(/MESHVIZ_API_URL must be an http/);
    expect(() => parseWebConfig({ MESHVIZ_API_URL: 'ftp://x' })).toThrow(/MESHVIZ_API_URL/);
  });
});
