import * as grpc from '@grpc/grpc-js';

/** Messages are raw bytes: no protobuf needed to prove that frames, metadata and statuses pass intact. */
const bytes = {
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

export const ECHO_SERVICE = {
  unary: { path: '/test.Echo/Unary', requestStream: false, responseStream: false, ...bytes },
  serverStream: { path: '/test.Echo/ServerStream', requestStream: false, responseStream: true, ...bytes },
  clientStream: { path: '/test.Echo/ClientStream', requestStream: true, responseStream: false, ...bytes },
  bidi: { path: '/test.Echo/Bidi', requestStream: true, responseStream: true, ...bytes },
} satisfies grpc.ServiceDefinition;

export const EchoClient = grpc.makeGenericClientConstructor(ECHO_SERVICE, 'Echo');

/** Trailing metadata the server adds to every call, so tests can see trailers arrive. */
const trailer = (value: string): grpc.Metadata => {
  const metadata = new grpc.Metadata();
  metadata.set('x-trailer', value);
  return metadata;
};

/**
 * Unary echoes, or fails with INTERNAL for "fail" and NOT_FOUND for "missing". ServerStream sends N messages
 * for the request "N". ClientStream answers the number of messages it got. Bidi echoes each message.
 */
export async function startGrpcEcho(): Promise<{ addr: string; close(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(ECHO_SERVICE, {
    unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const text = call.request.toString();
      if (text === 'fail') return callback({ code: grpc.status.INTERNAL, details: 'boom', metadata: trailer('failed') });
      if (text === 'missing') return callback({ code: grpc.status.NOT_FOUND, details: 'no such thing' });
      callback(null, Buffer.from(`echo:${text}`), trailer('unary'));
    },
    serverStream: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      const n = Number(call.request.toString());
      for (let i = 0; i < n; i++) call.write(Buffer.from(`item-${i}`));
      call.end(trailer(`sent-${n}`));
    },
    clientStream: (call: grpc.ServerReadableStream<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      let count = 0;
      call.on('data', () => {
        count += 1;
      });
      call.on('end', () => callback(null, Buffer.from(String(count)), trailer('client-stream')));
    },
    bidi: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', (m: Buffer) => call.write(Buffer.concat([Buffer.from('re:'), m])));
      call.on('end', () => call.end(trailer('bidi')));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    addr: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
