import * as grpc from '@grpc/grpc-js';

/**
 * gRPC on raw bytes, so tests need no generated code: an echo app behind a proxy, and a client for the proxies'
 * own tap port (meshviz.tap.v1.Tap/Observe) that sends an ObserveRequest encoded by hand.
 */

const raw = (b: Buffer): Buffer => b;
const method = (path: string, responseStream: boolean) => ({
  path,
  requestStream: false,
  responseStream,
  requestSerialize: raw,
  requestDeserialize: raw,
  responseSerialize: raw,
  responseDeserialize: raw,
});

const ECHO: grpc.ServiceDefinition = { Echo: method('/test.Echo/Echo', false) };
const TAP: grpc.ServiceDefinition = { Observe: method('/meshviz.tap.v1.Tap/Observe', true) };
const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo');
const TapClient = grpc.makeGenericClientConstructor(TAP, 'Tap');

/** Echoes the request; a request "missing" fails with NOT_FOUND. */
export async function startEchoApp(): Promise<{ addr: string; close(): void }> {
  const server = new grpc.Server();
  server.addService(ECHO, {
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      if (call.request.toString() === 'missing') done({ code: grpc.status.NOT_FOUND, details: 'no such thing' });
      else done(null, call.request);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { addr: `127.0.0.1:${port}`, close: () => server.forceShutdown() };
}

/** Calls Echo at `addr` (a proxy listener) for `authority`; resolves with the gRPC status code. */
export function echoClient(addr: string, authority: string) {
  const client = new EchoClient(addr, grpc.credentials.createInsecure(), { 'grpc.default_authority': authority });
  return {
    call(payload: string, tag: string): Promise<number> {
      const metadata = new grpc.Metadata();
      metadata.set('x-test-tag', tag);
      return new Promise((resolve) =>
        client.makeUnaryRequest('/test.Echo/Echo', raw, raw, Buffer.from(payload), metadata, (error) => resolve(error?.code ?? 0)),
      );
    },
    close: () => client.close(),
  };
}

/** ObserveRequest { max_rps = maxRps } in protobuf wire format (field 1, varint). */
function observeRequest(maxRps: number): Buffer {
  if (!Number.isInteger(maxRps) || maxRps < 1 || maxRps > 127) throw new RangeError('maxRps must fit one varint byte');
  return Buffer.from([0x08, maxRps]);
}

/**
 * Opens Observe on a proxy's tap port directly, as only the tap service should. `authorization` undefined sends
 * none. Resolves with how the stream ended once it ends, or stays open (cancel() it) when the proxy accepted it.
 */
export function observeProxyTap(addr: string, authorization: string | undefined) {
  const client = new TapClient(addr, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  const call = client.makeServerStreamRequest('/meshviz.tap.v1.Tap/Observe', raw, raw, observeRequest(10), metadata);
  call.on('data', () => {});
  const ended = new Promise<{ code: number; details: string }>((resolve) => {
    call.on('error', (e: grpc.ServiceError) => resolve({ code: e.code, details: e.details }));
    call.on('status', (s: grpc.StatusObject) => {
      if (s.code === grpc.status.OK) resolve({ code: s.code, details: s.details });
    });
  }).finally(() => client.close());
  return { ended, cancel: () => call.cancel() };
}

export const GRPC_STATUS = grpc.status;
