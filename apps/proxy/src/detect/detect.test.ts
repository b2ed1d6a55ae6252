import { METRIC } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { eventually, send, startUpstream } from '../testing/http-fixtures.js';
import { CATALOG, scrape, startMesh } from '../testing/mesh.js';
import { total } from '../testing/prom-text.js';
import { echo, freePort, startTcpServer, talk } from '../testing/tcp-fixtures.js';
import { startTestProxy } from '../testing/test-config.js';

/** Looks like nothing HTTP: a PostgreSQL SSLRequest followed by bytes of every value. */
const binary = Buffer.concat([Buffer.from([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f]), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);

async function withProxy(app: string, overrides: Parameters<typeof startTestProxy>[1], test: (proxy: ProxyHandle) => Promise<void>) {
  const proxy = await startTestProxy(app, overrides);
  try {
    await test(proxy);
  } finally {
    await proxy.shutdown();
  }
}

describe('protocol detection and opaque TCP', () => {
  it('forwards a non-HTTP client byte for byte, half-close included, and counts it in tcp_*', async () => {
    const app = await startTcpServer(echo);
    await withProxy(app.addr, {}, async (proxy) => {
      const reply = await talk(proxy.addresses.inbound, binary, { halfClose: true });
      expect(reply.data.equals(binary)).toBe(true);
      expect(reply.ending).toBe('end');
      await eventually(async () => {
        const s = await scrape(proxy);
        const src = { direction: 'inbound', peer: 'src' };
        const dst = { direction: 'inbound', peer: 'dst', target_addr: app.addr };
        expect(total(s, METRIC.tcpOpenTotal, src)).toBe(1);
        expect(total(s, METRIC.tcpCloseTotal, { ...src, classification: 'success' })).toBe(1);
        expect(total(s, METRIC.tcpOpenConnections, src)).toBe(0);
        expect(total(s, METRIC.tcpReadBytesTotal, src)).toBe(binary.length);
        expect(total(s, METRIC.tcpWriteBytesTotal, src)).toBe(binary.length);
        expect(total(s, METRIC.tcpReadBytesTotal, dst)).toBe(binary.length);
        expect(total(s, METRIC.tcpWriteBytesTotal, dst)).toBe(binary.length);
        expect(total(s, `${METRIC.tcpConnectionDurationMs}_count`, dst)).toBe(1);
        expect(total(s, METRIC.requestTotal)).toBe(0);
      });
    });
    await app.close();
  });

  it('lets a server speak first: at once on an opaque port, after the detect timeout otherwise', async () => {
    const app = await startTcpServer((socket) => socket.end('220 greetings\r\n'));
    await withProxy(app.addr, { opaquePorts: new Set([app.port]) }, async (proxy) => {
      const reply = await talk(proxy.addresses.inbound, undefined);
      expect(reply.data.toString()).toBe('220 greetings\r\n');
      expect(reply.firstByteMs).toBeLessThan(200);
    });
    await withProxy(app.addr, { detectTimeoutMs: 300 }, async (proxy) => {
      const reply = await talk(proxy.addresses.inbound, undefined);
      expect(reply.data.toString()).toBe('220 greetings\r\n');
      expect(reply.firstByteMs).toBeGreaterThanOrEqual(250);
    });
    await app.close();
  });

  it('passes a reset on to the other side and records the errno', async () => {
    const app = await startTcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await withProxy(app.addr, {}, async (proxy) => {
      const reply = await talk(proxy.addresses.inbound, binary);
      expect(reply.ending).toBe('ECONNRESET');
      await eventually(async () => {
        const s = await scrape(proxy);
        expect(total(s, METRIC.tcpCloseTotal, { peer: 'dst', errno: 'ECONNRESET', classification: 'failure' })).toBe(1);
      });
      // The proxy carries on.
      expect((await talk(proxy.addresses.inbound, binary)).ending).toBe('ECONNRESET');
    });
    await app.close();
  });

  it('counts HTTP connections in tcp_* too', async () => {
    const app = await startUpstream();
    await withProxy(app.addr, {}, async (proxy) => {
      expect((await send(proxy.addresses.inbound)).status).toBe(200);
      await eventually(async () => {
        const s = await scrape(proxy);
        expect(total(s, METRIC.tcpOpenTotal, { direction: 'inbound', peer: 'src' })).toBe(1);
        expect(total(s, METRIC.tcpOpenTotal, { direction: 'inbound', peer: 'dst', target_addr: app.addr })).toBe(1);
        expect(total(s, METRIC.tcpReadBytesTotal, { direction: 'inbound', peer: 'src' })).toBeGreaterThan(30);
      });
    });
    await app.close();
  });

  it('outbound: a TCP target port carries opaque traffic to the service, balanced and labelled like HTTP', async () => {
    const app = await startTcpServer(echo);
    const port = await freePort();
    const mesh = await startMesh({
      apps: [app.addr],
      client: { outboundTcpTargets: [{ port, authority: `${CATALOG}:5432` }], opaquePorts: new Set([5432]) },
    });
    try {
      const reply = await talk(`127.0.0.1:${port}`, binary, { halfClose: true });
      expect(reply.data.equals(binary)).toBe(true);
      await eventually(async () => {
        const s = await scrape(mesh.client);
        const dst = { direction: 'outbound', peer: 'dst', dst_service: 'catalog', dst_pod: 'catalog-0' };
        expect(total(s, METRIC.tcpOpenTotal, dst)).toBe(1);
        expect(total(s, METRIC.tcpWriteBytesTotal, dst)).toBe(binary.length);
      });
      // The main outbound port cannot know where raw TCP should go: it closes such connections.
      const nowhere = await talk(mesh.client.addresses.outbound, binary);
      expect(nowhere.data.length).toBe(0);
    } finally {
      await mesh.close();
      await app.close();
    }
  });

  it('outbound: HTTP on a TCP target port goes to that port\'s authority, whatever its Host says', async () => {
    const app = await startUpstream((req, res) => res.end(`app saw ${req.headers.host}`));
    // The target port is the proxy's configuration, so it is chosen before the proxy listens on it: another test may
    // take it in between, and then a new one is chosen.
    let port = 0;
    let mesh: Awaited<ReturnType<typeof startMesh>> | undefined;
    for (let attempt = 0; !mesh; attempt++) {
      port = await freePort();
      mesh = await startMesh({ apps: [app.addr], client: { outboundTcpTargets: [{ port, authority: `${CATALOG}:8080` }] } }).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EADDRINUSE' || attempt >= 4) throw error;
          return undefined;
        },
      );
    }
    try {
      const reply = await send(`127.0.0.1:${port}`, { headers: { host: `127.0.0.1:${port}` } });
      expect(reply.body.toString()).toBe(`app saw 127.0.0.1:${port}`);
      const s = await scrape(mesh.client);
      expect(total(s, METRIC.requestTotal, { direction: 'outbound', dst_service: 'catalog' })).toBe(1);
    } finally {
      await mesh.close();
      await app.close();
    }
  });
});
