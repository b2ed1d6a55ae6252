import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { spawnBin } from '../testing/spawn-bin.js';

const valid = {
  DEMO_SERVICE_LISTEN_ADDR: '127.0.0.1:0',
  DEMO_SERVICE_OUTBOUND_ADDR: '127.0.0.1:4140',
  DEMO_SERVICE_NAMESPACE: 'bookshop',
  DEMO_SERVICE_NAME: 'catalog',
  DEMO_SERVICE_POD: 'catalog-0',
  DEMO_SERVICE_ROUTES: JSON.stringify([{ method: 'GET', path: '/books', latencyMs: 0 }]),
};

describe('meshviz-demo-service bin', () => {
  it.each([
    ['DEMO_SERVICE_LISTEN_ADDR', { DEMO_SERVICE_LISTEN_ADDR: undefined }, 'is required'],
    ['DEMO_SERVICE_LISTEN_ADDR', { DEMO_SERVICE_LISTEN_ADDR: 'localhost' }, 'must be host:port'],
    ['DEMO_SERVICE_OUTBOUND_ADDR', { DEMO_SERVICE_OUTBOUND_ADDR: '127.0.0.1:0' }, 'port 1..65535'],
    ['DEMO_SERVICE_ROUTES', { DEMO_SERVICE_ROUTES: '[{"path":' }, 'must be JSON'],
    ['DEMO_SERVICE_ROUTES', { DEMO_SERVICE_ROUTES: '[{"path":"books"}]' }, 'DEMO_SERVICE_ROUTES[0].path'],
    ['DEMO_PARENT_PID', { DEMO_PARENT_PID: 'abc' }, 'DEMO_PARENT_PID'],
  ])('exits 1 naming %s', async (variable, change, text) => {
    const env = Object.fromEntries(Object.entries({ ...valid, ...change }).filter(([, v]) => v !== undefined));
    const bin = spawnBin('service', env as Record<string, string>);
    expect(await bin.exited).toBe(1);
    const fatal = bin.logs.find((line) => line.level === 60);
    expect(fatal).toMatchObject({ variable });
    expect(String(fatal?.msg)).toContain(text);
  });

  it('logs the port it bound, serves, and exits 0 on SIGTERM', async () => {
    const bin = spawnBin('service', valid);
    const listening = await bin.waitForLog('listening');
    expect(listening.port).toBeGreaterThan(0);
    expect(listening.addr).toBe(`127.0.0.1:${listening.port}`);
    const res = await fetch(`http://127.0.0.1:${listening.port}/books`);
    expect(await res.json()).toMatchObject({ pod: 'catalog-0', route: 'GET /books' });
    bin.child.kill('SIGTERM');
    expect(await bin.exited).toBe(0);
  });

  it('exits once DEMO_PARENT_PID is gone', async () => {
    const parent = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const bin = spawnBin('service', { ...valid, DEMO_PARENT_PID: String(parent.pid) });
    await bin.waitForLog('listening');
    parent.kill('SIGKILL');
    expect(await bin.exited).toBe(0);
    expect(bin.logs.some((line) => line.reason === 'parent process gone')).toBe(true);
  });
});
