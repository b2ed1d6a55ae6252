import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

describe('tap configuration', () => {
  it('leaves tap without a token and the identity empty by default', () => {
    const config = loadConfig({});
    expect(config.tapToken).toBeUndefined();
    expect(config.tapRedactHeaders).toBeUndefined();
    expect([config.namespace, config.deployment, config.pod]).toEqual([undefined, undefined, undefined]);
  });

  it('reads the token, the redaction list (lower-cased) and the identity', () => {
    const config = loadConfig({
      PROXY_TAP_TOKEN: 'abc',
      PROXY_TAP_REDACT_HEADERS: ' X-Api-Key, x-session ,,',
      PROXY_NAMESPACE: 'shop',
      PROXY_DEPLOYMENT: 'web',
      PROXY_POD: 'web-0',
    });
    expect(config.tapToken).toBe('abc');
    expect(config.tapRedactHeaders).toEqual(['x-api-key', 'x-session']);
    expect([config.namespace, config.deployment, config.pod]).toEqual(['shop', 'web', 'web-0']);
  });

  it('names the variable when a redaction entry is not a header name', () => {
    expect(() => loadConfig({ PROXY_TAP_REDACT_HEADERS: 'x-ok, bad header' })).toThrow(ConfigError);
    expect(() => loadConfig({ PROXY_TAP_REDACT_HEADERS: 'x-ok, bad header' })).toThrow(
      /PROXY_TAP_REDACT_HEADERS: must be comma-separated header names, got "bad header"/,
    );
  });
});
