import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ephemeralRange, PortAllocator } from './ports.js';

describe('PortAllocator', () => {
  it('hands out distinct bindable ports below the ephemeral range, one run from a random start', async () => {
    const [ephemeralLow] = ephemeralRange();
    const ports = new PortAllocator();
    const got: number[] = [];
    for (let i = 0; i < 20; i++) got.push(await ports.next());
    expect(new Set(got).size).toBe(20);
    for (const p of got) {
      expect(p).toBeGreaterThanOrEqual(10_000);
      expect(p).toBeLessThan(ephemeralLow);
    }
    // Consecutive (but for ports found in use), so two runtimes started together rarely meet.
    expect(got.at(-1)! - got[0]!).toBeLessThan(200);
  });

  it('never hands out a port in use, and says when its range has none left', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const ports = new PortAllocator('127.0.0.1', [busy, busy]);
      await expect(ports.next()).rejects.toThrow(`could not find a free TCP port on 127.0.0.1 between ${busy} and ${busy}`);
    } finally {
      blocker.close();
    }
  });

  it('reads the OS range, and falls back to the usual one', () => {
    expect(ephemeralRange(() => '40000\t50000\n')).toEqual([40000, 50000]);
    expect(ephemeralRange(() => 'garbage')).toEqual([32768, 60999]);
    expect(
      ephemeralRange(() => {
        throw new Error('ENOENT');
      }),
    ).toEqual([32768, 60999]);
  });
});
