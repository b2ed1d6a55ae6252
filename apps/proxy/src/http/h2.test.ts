import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants } from 'node:http2';
import { promisify } from 'node:util';
import { METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type H2Upstream, h2Connect, h2Send, startH2Upstream } from '../testing/h2-fixtures.js';
import { eventually } from '../testing/http-fixtures.js';
import { CATALOG, type Mesh, scrape, startMesh } from '../testing/mesh.js';
import { total } from '../testing/prom-text.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/** Lets a test hold the app's answer until the client has seen part of it: proof that nothing is buffered whole. */
let firstChunkSeen: () => void = () => {};

async function h2App(): Promise<H2Upstream> {
  return startH2Upstream((stream, headers) => {
    switch (headers[':path']) {
      case '/echo': {
        let trailer = '';
        stream.once('trailers', (t) => {
          trailer = String(t['x-client-trailer'] ?? '');
        });
        stream.respond({ ':status': 200, 'x-echo': 'yes' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'x-got-trailer': trailer || 'none' }));
        stream.pipe(stream);
        return;
      }
      case '/hash': {
        const hash = createHash('sha256');
        stream.on('data', (c: Buffer) => hash.update(c));
        stream.on('end', () => {
          stream.respond({ ':status': 200 });
          stream.end(hash.digest('hex'));
        });
        return;
      }
      case '/stream': {
        stream.respond({ ':status': 200 });
        stream.write(Buffer.alloc(64 * 1024, 1));
        const seen = new Promise<void>((resolve) => {
          firstChunkSeen = resolve;
        });
        void seen.then(() => stream.end(Buffer.alloc(4 * MiB, 2)));
        return;
      }
      case '/reset':
        stream.respond({ ':status': 200 });
        stream.write(Buffer.alloc(10_000));
        // destroy(), not close(): see h2-reset.ts for why only destroy() resets a stream mid-body.
        setTimeout(() => stream.destroy(new Error('app gave up')), 20);
        return;
      case '/upload-then-hang':
        stream.resume();
        return;
      default:
        stream.respond({ ':status': 200, 'content-type': 'text/plain' });
        stream.end(`h2 ${headers[':method']} ${headers[':path']}`);
    }
  });
}

describe('HTTP/2 with prior knowledge, outbound → inbound → app', () => {
  let app: H2Upstream;
  let mesh: Mesh;
  const authority = { ':authority': CATALOG };

  beforeAll(async () => {
    app = await h2App();
    mesh = await startMesh({ apps: [app.addr], routes: [{ name: 'echo', path: '/echo' }] });
  });
  afterAll(async () => {
    await mesh.close();
    await app.close();
  });

  it('carries a request, its body and trailers both ways, over one upstream session per endpoint', async () => {
    const session = h2Connect(mesh.client.addresses.outbound);
    try {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          h2Send(session, {
            headers: { ...authority, ':method': 'POST', ':path': '/echo' },
            body: `body-${i}`,
            trailers: { 'x-client-trailer': `t-${i}` },
          }),
        ),
      );
      for (const [i, reply] of replies.entries()) {
        expect(reply.status).toBe(200);
        expect(reply.headers['x-echo']).toBe('yes');
        expect(reply.body.toString()).toBe(`body-${i}`);
        expect(reply.trailers['x-got-trailer']).toBe(`t-${i}`);
      }
    } finally {
      session.close();
    }
    expect(app.connections.size).toBe(1);
    const s = await scrape(mesh.client);
    expect(total(s, METRIC.tcpOpenTotal, { direction: 'outbound', peer: 'dst', dst_service: 'catalog' })).toBe(1);
    expect(total(s, METRIC.requestTotal, { direction: 'outbound', authority: CATALOG, dst_pod: 'catalog-0' })).toBe(20);
    expect(total(s, METRIC.routeRequestTotal, { direction: 'outbound', dst: CATALOG, rt_route: 'echo' })).toBe(20);
  });

  it('streams large bodies both ways under flow control, without buffering them whole', async () => {
    const session = h2Connect(mesh.client.addresses.outbound);
    try {
      const expected = createHash('sha256');
      async function* upload() {
        const block = Buffer.alloc(256 * 1024, 7);
        for (let i = 0; i < 64; i++) {
          expected.update(block);
          yield block;
        }
      }
      const hashed = await h2Send(session, { headers: { ...authority, ':method': 'PUT', ':path': '/hash' }, body: upload() });
      expect(hashed.body.toString()).toBe(expected.digest('hex'));

      const stream = session.request({ ...authority, ':path': '/stream' });
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        firstChunkSeen();
      });
      await new Promise((resolve) => stream.on('end', resolve));
      expect(size).toBe(64 * 1024 + 4 * MiB);
    } finally {
      session.close();
    }
  });

  it('resets the client stream when the app resets mid-body, counts a failure, and keeps the session', async () => {
    const session = h2Connect(mesh.client.addresses.outbound);
    try {
      const cut = await h2Send(session, { headers: { ...authority, ':path': '/reset' } });
      expect(cut.rstCode).not.toBe(0);
      expect((await h2Send(session, { headers: authority })).status).toBe(200);
    } finally {
      session.close();
    }
    await eventually(async () =>
      expect(
        total(await scrape(mesh.client), METRIC.responseTotal, { direction: 'outbound', classification: 'failure', error: 'connection_reset' }),
      ).toBe(1),
    );
  });

  it('survives a client reset mid-upload and cancels the upstream stream', async () => {
    const session = h2Connect(mesh.client.addresses.outbound);
    try {
      const stream = session.request({ ...authority, ':method': 'POST', ':path': '/upload-then-hang' });
      stream.on('error', () => {});
      stream.write(Buffer.alloc(100_000));
      await eventually(() => expect(app.streams.some((s) => s.headers[':path'] === '/upload-then-hang')).toBe(true));
      stream.close(constants.NGHTTP2_CANCEL);
      expect((await h2Send(session, { headers: authority })).status).toBe(200);
    } finally {
      session.close();
    }
    await eventually(async () =>
      expect(total(await scrape(mesh.client), METRIC.responseTotal, { direction: 'outbound', error: 'client_reset' })).toBe(1),
    );
  });

  it('answers its own errors in HTTP/2, and to gRPC clients as a trailers-only gRPC status', async () => {
    const session = h2Connect(mesh.client.addresses.outbound);
    try {
      const plain = await h2Send(session, { headers: { ':authority': 'bad!host' } });
      expect(plain.status).toBe(400);
      expect(plain.headers[PROXY_ERROR_HEADER]).toBe('invalid_authority');
      const grpc = await h2Send(session, {
        headers: { ':authority': '127.0.0.1:1', ':method': 'POST', ':path': '/pkg.Svc/Call', 'content-type': 'application/grpc' },
        body: Buffer.from([0, 0, 0, 0, 0]),
      });
      expect(grpc.status).toBe(200);
      expect(grpc.headers['grpc-status']).toBe('14');
      expect(grpc.headers[PROXY_ERROR_HEADER]).toBe('connect_refused');
    } finally {
      session.close();
    }
    const s = await scrape(mesh.client);
    expect(total(s, METRIC.responseTotal, { error: 'connect_refused', status_code: '200', grpc_status: '14', classification: 'failure' })).toBe(1);
  });

  it('serves curl --http2-prior-knowledge', async () => {
    const { stdout } = await run('curl', [
      '-sS',
      '--http2-prior-knowledge',
      '-H',
      `Host: ${CATALOG}`,
      '-w',
      ' %{http_code} %{http_version}',
      `http://${mesh.client.addresses.outbound}/from-curl`,
    ]);
    expect(stdout).toBe('h2 GET /from-curl 200 2');
  });

  it('serves nghttp', async () => {
    const { stdout } = await run('nghttp', ['-H', `:authority: ${CATALOG}`, `http://${mesh.client.addresses.outbound}/from-nghttp`]);
    expect(stdout).toBe('h2 GET /from-nghttp');
  });

  it('counts exactly the requests h2load made', async () => {
    const before = await scrape(mesh.replicas[0]!);
    const inboundBefore = total(before, METRIC.responseTotal, { direction: 'inbound', status_code: '200' });
    const { stdout } = await run('h2load', ['-n', '500', '-c', '4', '-m', '10', '-H', `:authority: ${CATALOG}`, `http://${mesh.client.addresses.outbound}/load`]);
    const done = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded/.exec(stdout);
    expect(done?.slice(1)).toEqual(['500', '500', '500']);
    await eventually(async () => {
      const s = await scrape(mesh.client);
      expect(total(s, METRIC.responseTotal, { direction: 'outbound', authority: CATALOG, status_code: '200', classification: 'success' }) - 20 - 2 - 2 - 1).toBeGreaterThanOrEqual(500);
      const after = total(await scrape(mesh.replicas[0]!), METRIC.responseTotal, { direction: 'inbound', status_code: '200' });
      expect(after - inboundBefore).toBe(500);
    });
  });
});
