import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { eventually } from '../testing/http-fixtures.js';
import { bearer, byRequest, observeTap } from '../testing/tap-client.js';
import { startTestProxy } from '../testing/test-config.js';

const TOKEN = 'tap-grpc-token';
const raw = (b: Buffer): Buffer => b;
/** A unary method on raw bytes, so the test needs no proto: "missing" fails with NOT_FOUND, anything else echoes. */
const service: grpc.ServiceDefinition = {
  Echo: {
    path: '/test.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  },
};
const EchoClient = grpc.makeGenericClientConstructor(service, 'Echo');

describe('tap of gRPC calls', () => {
  let app: grpc.Server;
  let proxy: ProxyHandle;

  beforeAll(async () => {
    app = new grpc.Server();
    app.addService(service, {
      Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
        if (call.request.toString() === 'missing') done({ code: grpc.status.NOT_FOUND, details: 'no such thing' });
        else done(null, call.request);
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      app.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    proxy = await startTestProxy(`127.0.0.1:${port}`, { tapToken: TOKEN });
  });
  afterAll(async () => {
    await proxy.shutdown();
    app.forceShutdown();
  });

  it('reports grpc_status from the trailers', async () => {
    const stream = observeTap(proxy.addresses.tap, { maxRps: 100 }, bearer(TOKEN));
    await eventually(() => expect(proxy.tap.active).toBe(true));
    const client = new EchoClient(proxy.addresses.inbound, grpc.credentials.createInsecure());
    const call = (payload: string) =>
      new Promise<number>((resolve) =>
        client.makeUnaryRequest('/test.Echo/Echo', raw, raw, Buffer.from(payload), (error) => resolve(error?.code ?? 0)),
      );
    expect(await call('hello')).toBe(grpc.status.OK);
    expect(await call('missing')).toBe(grpc.status.NOT_FOUND);
    client.close();

    await eventually(() => expect(stream.events.filter((e) => e.event === 'responseEnd')).toHaveLength(2));
    const ends = [...byRequest(stream.events).values()].map((events) => events.map((e) => e.event));
    expect(ends).toEqual([
      ['requestInit', 'responseInit', 'responseEnd'],
      ['requestInit', 'responseInit', 'responseEnd'],
    ]);
    const summary = stream.events
      .filter((e) => e.event !== 'responseInit')
      .map((e) => e.requestInit?.path ?? e.responseEnd?.grpcStatus);
    expect(summary).toEqual(['/test.Echo/Echo', grpc.status.OK, '/test.Echo/Echo', grpc.status.NOT_FOUND]);
    // The echoed message in its gRPC frame: 1 flag byte, 4 length bytes, 5 payload bytes.
    expect(stream.events.find((e) => e.event === 'responseEnd')?.responseEnd?.responseBytes).toBe(10);
    stream.cancel();
  });
});
