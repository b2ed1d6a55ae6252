import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshvizHome, parseEnv } from './config.js';

describe('the CLI environment', () => {
  it('uses the documented defaults', () => {
    expect(parseEnv({})).toEqual({ MESHVIZ_PORT: 8084, MESHVIZ_HOST: '127.0.0.1' });
  });

  it('reads the API URL and the tap token, an empty API URL or Prometheus binary counting as unset', () => {
    const env = parseEnv({ MESHVIZ_API_URL: 'http://10.0.0.2:8084/', MESHVIZ_TAP_TOKEN: 't0ken', PROMETHEUS_BIN: '' });
    expect(env).toMatchObject({ MESHVIZ_API_URL: 'http://10.0.0.2:8084/', MESHVIZ_TAP_TOKEN: 't0ken', PROMETHEUS_BIN: undefined });
    expect(parseEnv({ MESHVIZ_API_URL: '' }).MESHVIZ_API_URL).toBeUndefined();
  });

  it.each([
    [{ MESHVIZ_API_URL: 'localhost:8084' }, /^MESHVIZ_API_URL: must be an http\(s\) URL.*\(got "localhost:8084"\)$/],
    [{ MESHVIZ_API_URL: 'ftp://host' }, /^MESHVIZ_API_URL: must be an http\(s\) URL/],
    [{ MESHVIZ_PORT: 'eighty' }, /^MESHVIZ_PORT: .*\(got "eighty"\)$/],
  ])('names the bad variable in %j', (env, message) => {
    expect(() => parseEnv(env)).toThrow(message);
  });

  it('puts meshviz home under the home directory unless MESHVIZ_HOME says otherwise', () => {
    expect(meshvizHome(parseEnv({}))).toBe(path.join(os.homedir(), '.meshviz'));
    expect(meshvizHome(parseEnv({ MESHVIZ_HOME: '' }))).toBe(path.join(os.homedir(), '.meshviz'));
    expect(meshvizHome(parseEnv({ MESHVIZ_HOME: '/srv/meshviz' }))).toBe('/srv/meshviz');
    expect(meshvizHome(parseEnv({ MESHVIZ_HOME: 'here' }))).toBe(path.resolve('here'));
  });
});
