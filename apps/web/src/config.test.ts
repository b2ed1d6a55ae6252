import { describe, expect, it } from 'vitest';
import { ConfigError, defaultAllowedHosts, parseHostGuardConfig, parseWebConfig, WEB_ENV } from './config';

describe('parseWebConfig', () => {
  it('reads the API base URL without a trailing slash', () => {
    expect(parseWebConfig({ MESHVIZ_API_URL: 'http://127.0.0.1:8085/' }).apiBaseUrl.href).toBe('http://127.0.0.1:8085/');
    expect(parseWebConfig({ MESHVIZ_API_URL: 'http://api.local/mesh/' }).apiBaseUrl.pathname).toBe('/mesh');
  });

  it('fails naming the variable when it is missing', () => {
    expect(() => parseWebConfig({})).toThrow(ConfigError);
    expect(() => parseWebConfig({ MESHVIZ_API_URL: '  ' })).toThrow(/^MESHVIZ_API_URL: is required: the base URL of the meshviz API/);
  });

  it('fails naming the variable when it is not an http(s) URL', () => {
    expect(() => parseWebConfig({ MESHVIZ_API_URL: 'localhost:8085' })).toThrow('MESHVIZ_API_URL: must be an http(s) URL such as http://127.0.0.1:8085 (got "localhost:8085")');
    expect(() => parseWebConfig({ MESHVIZ_API_URL: 'ftp://x' })).toThrow(/MESHVIZ_API_URL/);
  });
});

describe('parseHostGuardConfig', () => {
  it('allows loopback and the in-cluster names in meshviz-viz by default', () => {
    expect(parseHostGuardConfig({}).allowedHosts.source).toBe(defaultAllowedHosts('meshviz-viz'));
    expect(defaultAllowedHosts('meshviz-viz')).toBe(
      '^(localhost|127\\.0\\.0\\.1|\\[::1\\]|web\\.meshviz-viz\\.svc(\\.cluster\\.local)?)(:\\d+)?$',
    );
  });

  it('takes the namespace of the in-cluster names, and an allow-list that replaces the default', () => {
    expect(parseHostGuardConfig({ MESHVIZ_WEB_NAMESPACE: ' viz ' }).allowedHosts.source).toBe(defaultAllowedHosts('viz'));
    expect(parseHostGuardConfig({ MESHVIZ_WEB_ALLOWED_HOSTS: '^a$', MESHVIZ_WEB_NAMESPACE: 'viz' }).allowedHosts.source).toBe('^a$');
    expect(parseHostGuardConfig({ MESHVIZ_WEB_ALLOWED_HOSTS: '  ' }).allowedHosts.source).toBe(defaultAllowedHosts('meshviz-viz'));
  });

  it('fails naming the variable when a value is bad', () => {
    expect(() => parseHostGuardConfig({ MESHVIZ_WEB_ALLOWED_HOSTS: '^(a' })).toThrow(ConfigError);
    expect(() => parseHostGuardConfig({ MESHVIZ_WEB_ALLOWED_HOSTS: '^(a' })).toThrow(
      'MESHVIZ_WEB_ALLOWED_HOSTS: must be a valid regular expression (got "^(a")',
    );
    expect(() => parseHostGuardConfig({ MESHVIZ_WEB_NAMESPACE: 'Bad_NS' })).toThrow(/^MESHVIZ_WEB_NAMESPACE: must be a namespace name/);
  });
});

describe('WEB_ENV', () => {
  it('names only variables the configuration reads: a bad value of each is refused naming it', () => {
    const bad = (variable: string) => ({ MESHVIZ_API_URL: 'http://127.0.0.1:8085', [variable]: '^(' });
    const refusal = (variable: string): unknown => {
      try {
        parseWebConfig(bad(variable));
        parseHostGuardConfig(bad(variable));
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const variable of Object.values(WEB_ENV)) {
      expect(refusal(variable)).toBeInstanceOf(ConfigError);
      expect(refusal(variable)).toMatchObject({ variable });
    }
  });
});
