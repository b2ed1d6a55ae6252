import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { METRIC } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, send, splitAddr, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { CATALOG, type Mesh, scrape, startMesh } from '../testing/mesh.js';
import { total } from '../testing/prom-text.js';

const run = promisify(execFile);
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The app: plain answers, a chunked one, an upload counter; upgrades and Expect are attached below. */
function appHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.url === '/chunked') {
    res.write('part-1;');
    setTimeout(() => res.end('part-2'), 10);
    return;
  }
  if (req.url === '/upload') {
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
    });
    req.on('end', () => res.end(`received ${size}`));
    return;
  }
  res.end('plain');
}

/** Grants WebSocket upgrades on /ws (then echoes bytes) and refuses them elsewhere with a 400. */
function attachUpgrade(server: http.Server): void {
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    if (req.url !== '/ws') {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 11\r\nconnection: close\r\n\r\nnot here!\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${WS_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    if (head.length > 0) socket.write(head);
    socket.pipe(socket);
  });
}

/** Sends a WebSocket handshake on a raw socket; resolves with the response head and the open socket. */
function handshake(address: string, path: string): Promise<{ head: string; socket: Socket; rest: Buffer }> {
  const [host, port] = splitAddr(address);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host, () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${CATALOG}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    let buffered = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buffered = Buffer.concat([buffered, c]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      resolve({ head: buffered.subarray(0, end).toString(), socket, rest: buffered.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

describe('HTTP/1.1 upgrades, Expect: 100-continue and chunked bodies, outbound → inbound', () => {
  let app: Upstream;
  let mesh: Mesh;

  beforeAll(async () => {
    app = await startUpstream(appHandler);
    // Refuses an oversized upload before its body is sent; otherwise lets the client go on.
    app.server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.url !== '/too-large') {
        res.writeContinue();
        appHandler(req, res);
        return;
      }
      res.writeHead(413, { connection: 'close' });
      res.end('too large, do not send it');
    });
    attachUpgrade(app.server);
    mesh = await startMesh({ apps: [app.addr] });
  });
  afterAll(async () => {
    await mesh.close();
    await app.close();
  });

  it('upgrades to WebSocket, then carries bytes both ways, counted as a 101 and in tcp_*', async () => {
    const { head, socket, rest } = await handshake(mesh.client.addresses.outbound, '/ws');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(head.toLowerCase()).toContain('upgrade: websocket');
    expect(head).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(rest.length).toBe(0);
    const payload = Buffer.alloc(200_000, 'w');
    const echoed = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= payload.length) resolve(Buffer.concat(chunks));
      });
      socket.write(payload);
    });
    expect(echoed.equals(payload)).toBe(true);
    socket.end();
    await eventually(async () => {
      const s = await scrape(mesh.client);
      expect(total(s, METRIC.responseTotal, { direction: 'outbound', status_code: '101', classification: 'success' })).toBe(1);
      expect(total(s, METRIC.tcpWriteBytesTotal, { direction: 'outbound', peer: 'dst', dst_service: 'catalog' })).toBeGreaterThanOrEqual(payload.length);
      const inbound = await scrape(mesh.replicas[0]!);
      expect(total(inbound, METRIC.responseTotal, { direction: 'inbound', status_code: '101' })).toBe(1);
      expect(total(inbound, METRIC.tcpOpenConnections, { direction: 'inbound' })).toBe(0);
    });
  });

  it('relays a refused upgrade as a normal answer and closes the connection', async () => {
    const { head, socket } = await handshake(mesh.client.addresses.outbound, '/nope');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    await new Promise((resolve) => socket.on('close', resolve));
    expect((await send(mesh.client.addresses.outbound, { headers: { host: CATALOG } })).status).toBe(200);
  });

  it('Expect: 100-continue: the 100 comes from the app, and a refusal arrives before the body is sent', async () => {
    const payload = join(mesh.dir, 'payload.bin');
    await writeFile(payload, Buffer.alloc(2 * 1024 * 1024, 'e'));
    const { stdout, stderr } = await run('curl', [
      '-sS', '-v', '-H', `Host: ${CATALOG}`, '-H', 'Expect: 100-continue', '--data-binary', `@${payload}`,
      `http://${mesh.client.addresses.outbound}/upload`,
    ]);
    expect(stdout).toBe(`received ${2 * 1024 * 1024}`);
    expect(stderr).toContain('HTTP/1.1 100 Continue');

    const [host, port] = splitAddr(mesh.client.addresses.outbound);
    const refused = await new Promise<{ status: number; bodySent: boolean }>((resolve, reject) => {
      let bodySent = false;
      const req = http.request(
        { host, port, method: 'PUT', path: '/too-large', agent: false, headers: { host: CATALOG, expect: '100-continue', 'content-length': 1_000_000 } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bodySent }));
        },
      );
      req.on('continue', () => {
        bodySent = true;
        req.end(Buffer.alloc(1_000_000));
      });
      req.on('error', reject);
    });
    expect(refused).toEqual({ status: 413, bodySent: false });
  });

  it('streams a chunked response as it comes', async () => {
    const reply = await send(mesh.client.addresses.outbound, { path: '/chunked', headers: { host: CATALOG } });
    expect(reply.headers['transfer-encoding']).toBe('chunked');
    expect(reply.body.toString()).toBe('part-1;part-2');
  });
});
