import { describe, expect, it } from 'vitest';
import { headerRedactor } from './redact.js';

describe('headerRedactor', () => {
  it('redacts the always-sensitive headers and configured ones, whatever their case', () => {
    const redact = headerRedactor(['X-Api-Key']);
    const raw = ['Authorization', 'Bearer s3cret', 'Cookie', 'a=b', 'Set-Cookie', 'c=d', 'x-api-key', 'k', 'Accept', '*/*'];
    expect(redact(raw)).toEqual([
      { name: 'authorization', value: '[redacted]' },
      { name: 'cookie', value: '[redacted]' },
      { name: 'set-cookie', value: '[redacted]' },
      { name: 'x-api-key', value: '[redacted]' },
      { name: 'accept', value: '*/*' },
    ]);
  });
});
