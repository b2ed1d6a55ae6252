import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { startAdmin } from './admin-server.js';

const get = async (address: string, path: string, method = 'GET') => {
  const res = await fetch(`http://${address}${path}`, { method });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
};

describe('admin server', () => {
  it('answers /ready 503 until ready, /live 200, /metrics in text format, 404 elsewhere and 405 to other methods', async () => {
    let ready = false;
    const registry = new Registry();
    const admin = await startAdmin({ host: '127.0.0.1', port: 0 }, { registry, isReady: () => ready, log: pino({ level: 'silent' }) });
    try {
      expect((await get(admin.address, '/ready')).status).toBe(503);
      ready = true;
      expect(await get(admin.address, '/ready')).toMatchObject({ status: 200, text: 'ready\n' });
      expect(await get(admin.address, '/live')).toMatchObject({ status: 200, text: 'live\n' });
      const metrics = await get(admin.address, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
      expect((await get(admin.address, '/')).status).toBe(404);
      expect((await get(admin.address, '/metrics/x')).status).toBe(404);
      expect((await get(admin.address, '/ready', 'POST')).status).toBe(405);
    } finally {
      await admin.close();
    }
  });
});
