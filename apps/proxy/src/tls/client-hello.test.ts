import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { clientHelloServerName, isTlsClientHello } from './client-hello.js';

/** The first bytes Node's TLS client writes: a real ClientHello. */
function helloFrom(options: tls.ConnectionOptions): Promise<Buffer> {
  return new Promise((resolve) => {
    const sink = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        resolve(Buffer.from(chunk));
        callback();
      },
    });
    const socket = tls.connect({ ...options, socket: sink, rejectUnauthorized: false });
    socket.on('error', () => {});
    setTimeout(() => socket.destroy(), 100);
  });
}

describe('ClientHello', () => {
  it('reads the server name of a real ClientHello, in any case', async () => {
    const hello = await helloFrom({ servername: 'Web.Shop.serviceaccount.identity.meshviz.cluster.local' });
    expect(isTlsClientHello(hello)).toBe(true);
    expect(isTlsClientHello(hello.subarray(0, hello.length - 1))).toBeUndefined();
    expect(clientHelloServerName(hello)).toBe('web.shop.serviceaccount.identity.meshviz.cluster.local');
  });

  it('finds no name where the client sent none, and never reads past a truncated or lying hello', async () => {
    const hello = await helloFrom({ host: '127.0.0.1' }); // an IP address: no SNI
    expect(clientHelloServerName(hello)).toBeUndefined();
    const named = await helloFrom({ servername: 'a.b' });
    for (let cut = 5; cut < named.length; cut += 7) {
      const truncated = Buffer.from(named.subarray(0, cut));
      truncated.writeUInt16BE(cut - 5, 3); // the record says it ends where the bytes do
      expect(() => clientHelloServerName(truncated)).not.toThrow();
    }
    const lying = Buffer.from(named);
    lying.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1 + lying[5 + 4 + 2 + 32]!); // cipher suites "longer" than the record
    expect(clientHelloServerName(lying)).toBeUndefined();
  });

  it('is not fooled by other protocols', () => {
    expect(isTlsClientHello(Buffer.from('GET / HTTP/1.1\r\n'))).toBe(false);
    expect(isTlsClientHello(Buffer.from([0x16]))).toBeUndefined();
    expect(isTlsClientHello(Buffer.from([0x16, 0x03, 0x05]))).toBe(false);
  });
});
