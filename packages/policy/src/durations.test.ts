import { describe, expect, it } from 'vitest';
import { parseGatewayDuration } from './durations.js';

describe('parseGatewayDuration', () => {
  it('reads the Gateway API form: up to four parts of h, m, s and ms', () => {
    expect(parseGatewayDuration('10s')).toBe(10_000);
    expect(parseGatewayDuration('500ms')).toBe(500);
    expect(parseGatewayDuration('1h30m')).toBe(5_400_000);
    expect(parseGatewayDuration('1m30s250ms')).toBe(90_250);
    expect(parseGatewayDuration('0s')).toBe(0);
  });

  it('refuses what the Gateway API refuses', () => {
    for (const text of ['', '10', '1.5s', '-1s', '100000s', '1d', '1h1h1h1h1h', ' 1s', '1S']) {
      expect(parseGatewayDuration(text), text).toBeUndefined();
    }
  });
});
