import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, jsonVariable, parseEnv, trimmedVariable } from './env.js';

const Env = z.object({
  APP_PORT: z.coerce.number().int().min(1, 'must be at least 1'),
  APP_MODE: z.enum(['a', 'b'], { error: 'must be a or b' }).default('a'),
  APP_LIST: jsonVariable(z.array(z.object({ name: z.string() }))).optional(),
});

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEnv', () => {
  it('returns the parsed values, defaults applied', () => {
    expect(parseEnv(Env, { APP_PORT: '80', OTHER: 'x' })).toEqual({ APP_PORT: 80, APP_MODE: 'a' });
  });

  it('names the first bad variable and lists every problem with the value it got', () => {
    const error = configError(() => parseEnv(Env, { APP_PORT: '0', APP_MODE: 'c' }));
    expect(error.variable).toBe('APP_PORT');
    expect(error.message).toBe('APP_PORT: must be at least 1 (got "0"); APP_MODE: must be a or b (got "c")');
  });

  it('says a missing variable is required', () => {
    expect(configError(() => parseEnv(Env, {})).message).toBe('APP_PORT: is required');
  });

  it('follows issue paths into JSON values', () => {
    const error = configError(() => parseEnv(Env, { APP_PORT: '1', APP_LIST: '[{"name":1}]' }));
    expect(error.variable).toBe('APP_LIST');
    expect(error.message).toMatch(/^APP_LIST\[0\]\.name: /);
    expect(configError(() => parseEnv(Env, { APP_PORT: '1', APP_LIST: '[' })).message).toMatch(/^APP_LIST: must be JSON \(/);
  });

  it('counts empty variables as unset only when asked', () => {
    expect(parseEnv(Env, { APP_PORT: '1', APP_MODE: '' }, { emptyIsUnset: true }).APP_MODE).toBe('a');
    expect(configError(() => parseEnv(Env, { APP_PORT: '1', APP_MODE: '' })).message).toBe('APP_MODE: must be a or b (got "")');
    expect(configError(() => parseEnv(Env, { APP_PORT: '' }, { emptyIsUnset: true })).message).toBe('APP_PORT: is required');
  });
});

describe('trimmedVariable', () => {
  const Trimmed = z.object({
    APP_NAME: trimmedVariable(z.string().regex(/^[a-z]+$/, 'must be lower-case letters').default('meshviz')),
    APP_URL: trimmedVariable(z.url({ error: 'must be a URL' }).optional()),
  });

  it('trims values, and a blank one is unset', () => {
    expect(parseEnv(Trimmed, { APP_NAME: ' web ', APP_URL: ' http://a/ ' })).toEqual({ APP_NAME: 'web', APP_URL: 'http://a/' });
    expect(parseEnv(Trimmed, { APP_NAME: '  ', APP_URL: '' })).toEqual({ APP_NAME: 'meshviz' });
  });

  it('checks the trimmed value', () => {
    expect(configError(() => parseEnv(Trimmed, { APP_NAME: ' Web ' })).message).toBe('APP_NAME: must be lower-case letters (got " Web ")');
  });
});
