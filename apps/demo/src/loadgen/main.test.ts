import { describe, expect, it } from 'vitest';
import { startFakeProxy } from '../testing/fake-proxy.js';
import { spawnBin } from '../testing/spawn-bin.js';
import { CountsResponse } from './counts-schema.js';

const load = { rate: 20, targets: [{ service: 'web.bookshop', method: 'GET', path: '/books' }] };
const valid = {
  LOADGEN_CONFIG: JSON.stringify(load),
  LOADGEN_OUTBOUND_ADDR: '127.0.0.1:4140',
  LOADGEN_ADMIN_ADDR: '127.0.0.1:0',
};

describe('meshviz-loadgen bin', () => {
  it.each([
    ['LOADGEN_CONFIG', { LOADGEN_CONFIG: undefined }, 'is required'],
    ['LOADGEN_CONFIG', { LOADGEN_CONFIG: '{"rate":0,"targets":[]}' }, 'LOADGEN_CONFIG.rate'],
    ['LOADGEN_CONFIG', { LOADGEN_CONFIG: '{"targets":[{"service":"web","path":"/"}]}' }, 'LOADGEN_CONFIG.targets[0].service'],
    ['LOADGEN_OUTBOUND_ADDR', { LOADGEN_OUTBOUND_ADDR: 'nowhere' }, 'must be host:port'],
    ['LOADGEN_ADMIN_ADDR', { LOADGEN_ADMIN_ADDR: '127.0.0.1:70000' }, 'must be host:port'],
    ['LOADGEN_PARENT_PID', { LOADGEN_PARENT_PID: '-3' }, 'LOADGEN_PARENT_PID'],
  ])('exits 1 naming %s', async (variable, change, text) => {
    const env = Object.fromEntries(Object.entries({ ...valid, ...change }).filter(([, v]) => v !== undefined));
    const bin = spawnBin('loadgen', env as Record<string, string>);
    expect(await bin.exited).toBe(1);
    const fatal = bin.logs.find((line) => line.level === 60);
    expect(fatal).toMatchObject({ variable });
    expect(String(fatal?.msg)).toContain(text);
  });

  it('logs its admin port, serves /counts, and exits 0 on SIGTERM', async () => {
    const proxy = await startFakeProxy();
    const bin = spawnBin('loadgen', { ...valid, LOADGEN_OUTBOUND_ADDR: `127.0.0.1:${proxy.port}` });
    const { port } = await bin.waitForLog('admin listening');
    await bin.waitForLog('sending load');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = CountsResponse.parse(await (await fetch(`http://127.0.0.1:${port}/counts`)).json());
    expect(counts.total).toBeGreaterThan(0);
    expect(counts.targets[0]).toMatchObject({ service: 'web.bookshop', failures: 0 });
    bin.child.kill('SIGTERM');
    expect(await bin.exited).toBe(0);
    expect(proxy.seen[0]).toEqual({ method: 'GET', path: '/books', host: 'web.bookshop.svc.cluster.local' });
    await proxy.close();
  });
});
