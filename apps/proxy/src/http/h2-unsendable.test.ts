import net, { type AddressInfo } from 'node:net';
import { PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Flag, FrameReader, FrameType, frame, PREFACE, settingsFrame } from '../h2/frame.js';
import { HpackEncoder } from '../h2/hpack.js';
import { h2Connect, h2Send } from '../testing/h2-fixtures.js';
import { CATALOG, type Mesh, startMesh } from '../testing/mesh.js';
import { sendableFields } from './h2-headers.js';

/**
 * An HTTP/2 app written frame by frame, so it can answer what a conforming server never would: a control
 * character in a header value or a trailer. The proxy's HTTP/2 client takes such a head as decoded; the server
 * side must not pass it on to its client.
 */
async function rawApp(): Promise<{ addr: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const encoder = new HpackEncoder();
    const headers = (id: number, fields: string[], end: boolean): Buffer =>
      frame(FrameType.HEADERS, Flag.END_HEADERS | (end ? Flag.END_STREAM : 0), id, encoder.encode(fields));
    let prefaceLeft = PREFACE.length;
    socket.write(settingsFrame([]));
    const reader = new FrameReader(16_384, (type, flags, id) => {
      if (type === FrameType.SETTINGS && !(flags & Flag.ACK)) socket.write(frame(FrameType.SETTINGS, Flag.ACK, 0));
      if (type !== FrameType.HEADERS) return;
      // Every request gets the same answers in turn: a bad head, then a good head with a bad trailer.
      if (id === 1) socket.write(headers(id, [':status', '200', 'x-bad', 'a\u0001b'], true));
      else {
        socket.write(headers(id, [':status', '200'], false));
        socket.write(frame(FrameType.DATA, 0, id, Buffer.from('ok')));
        socket.write(headers(id, ['x-trailer', 'a\nb'], true));
      }
    });
    socket.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (prefaceLeft > 0) {
        const take = Math.min(prefaceLeft, data.length);
        prefaceLeft -= take;
        data = data.subarray(take);
      }
      if (data.length > 0) reader.push(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    addr: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('an HTTP/2 answer that cannot be sent', () => {
  let app: Awaited<ReturnType<typeof rawApp>>;
  let mesh: Mesh;

  beforeAll(async () => {
    app = await rawApp();
    mesh = await startMesh({ apps: [app.addr] });
  });
  afterAll(async () => {
    await mesh.close();
    await app.close();
  });

  it('becomes a 502 protocol_error when its head holds a control character, and a reset when a trailer does', async () => {
    const session = h2Connect(mesh.client.addresses.outbound);
    try {
      const bad = await h2Send(session, { headers: { ':authority': CATALOG, ':path': '/head' } });
      expect(bad.status).toBe(502);
      expect(bad.headers[PROXY_ERROR_HEADER]).toBe('protocol_error');
      expect(bad.headers['x-bad']).toBeUndefined();

      const cut = await h2Send(session, { headers: { ':authority': CATALOG, ':path': '/trailer' } });
      expect(cut.rstCode).not.toBe(0);
      expect(cut.trailers['x-trailer']).toBeUndefined();
    } finally {
      session.close();
    }
  });

  it('is recognised field by field', () => {
    expect(sendableFields([':status', '200', 'content-type', 'text/plain', 'x-tab', 'a\tb'])).toBe(true);
    expect(sendableFields(['x-nul', 'a\u0000b'])).toBe(false);
    expect(sendableFields(['x-lf', 'a\nb'])).toBe(false);
    expect(sendableFields(['Upper', 'v'])).toBe(false);
    expect(sendableFields(['bad name', 'v'])).toBe(false);
  });
});
