import { describe, expect, it } from 'vitest';
import type { EndpointTarget } from '../endpoint/forward.js';
import { pickEndpoint } from './p2c.js';

const endpoint = (port: number): EndpointTarget => ({
  addr: { host: '127.0.0.1', port },
  destination: { key: String(port), targetAddr: `127.0.0.1:${port}` },
});

describe('pickEndpoint (power of two choices)', () => {
  const endpoints = [endpoint(1), endpoint(2), endpoint(3)];

  it('takes the less loaded of the two sampled endpoints', () => {
    const load = (e: EndpointTarget) => (e.addr.port === 1 ? 5 : 0);
    // random 0 samples index 0 first, then the next one (index 1).
    expect(pickEndpoint(endpoints, load, () => 0)?.addr.port).toBe(2);
  });

  it('never samples the same endpoint twice', () => {
    const seen = new Set<number>();
    for (const r of [0, 0.34, 0.67, 0.99]) {
      const load = (e: EndpointTarget) => (e === endpoints[Math.floor(r * 3)] ? 1 : 0);
      const picked = pickEndpoint(endpoints, load, () => r);
      expect(picked).not.toBe(endpoints[Math.floor(r * 3)]);
      seen.add(picked!.addr.port);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('handles zero and one endpoint', () => {
    expect(pickEndpoint([], () => 0, Math.random)).toBeUndefined();
    expect(pickEndpoint([endpoint(9)], () => 0, Math.random)?.addr.port).toBe(9);
  });
});
