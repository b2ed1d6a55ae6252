import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { getText, send } from '../testing/http-fixtures.js';
import { silentLog } from '../testing/test-config.js';
import { startAdmin } from './server.js';

describe('admin server', () => {
  it('answers /ready 503 until ready, /live 200, /metrics in text format, 404 otherwise', async () => {
    let ready = false;
    const registry = new Registry();
    const admin = await startAdmin({ host: '127.0.0.1', port: 0 }, { registry, isReady: () => ready, log: silentLog });
    try {
      expect((await getText(admin.address, '/ready')).status).toBe(503);
      ready = true;
      expect(await getText(admin.address, '/ready')).toEqual({ status: 200, text: 'ready\n' });
      expect(await getText(admin.address, '/live')).toEqual({ status: 200, text: 'live\n' });
      const metrics = await send(admin.address, { path: '/metrics' });
      expect(metrics.status).toBe(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect((await getText(admin.address, '/')).status).toBe(404);
      expect((await getText(admin.address, '/metrics/x')).status).toBe(404);
      expect((await send(admin.address, { method: 'POST', path: '/ready' })).status).toBe(404);
    } finally {
      await admin.close();
    }
  });
});
