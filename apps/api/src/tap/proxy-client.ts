import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { TAP_PROTO_PATH, type WireObserveRequest, type WireTapEvent } from '@meshviz/mesh-types/tap-proto';

/** The proto's messages as proto-loader decodes them, shared with the proxy's tap server. */
export type WireEvent = WireTapEvent;
export type { WireHeader, WirePeer } from '@meshviz/mesh-types/tap-proto';
export type ObserveRequest = WireObserveRequest;

type TapClient = grpc.Client & {
  observe(req: ObserveRequest, metadata: grpc.Metadata): grpc.ClientReadableStream<WireEvent>;
};

let ctor: (new (addr: string, creds: grpc.ChannelCredentials) => TapClient) | null = null;

function clientCtor() {
  if (ctor) return ctor;
  const def = protoLoader.loadSync(TAP_PROTO_PATH, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    meshviz: { tap: { v1: { Tap: new (addr: string, creds: grpc.ChannelCredentials) => TapClient } } };
  };
  ctor = pkg.meshviz.tap.v1.Tap;
  return ctor;
}

export interface Upstream {
  cancel(): void;
}

/**
 * Opens one Observe stream to a proxy's tap server. `onEnd` is called once, with an error unless the stream was
 * cancelled by us. The channel is closed with the stream.
 */
export function observeProxy(
  addr: string,
  token: string,
  request: ObserveRequest,
  onEvent: (e: WireEvent) => void,
  onEnd: (err: Error | null) => void,
): Upstream {
  const Client = clientCtor();
  const client = new Client(addr, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  const call = client.observe(request, metadata);
  let done = false;
  let cancelled = false;
  const finish = (err: Error | null) => {
    if (done) return;
    done = true;
    client.close();
    onEnd(cancelled ? null : err);
  };
  call.on('data', onEvent);
  call.on('error', (err: grpc.ServiceError) => finish(err.code === grpc.status.CANCELLED && cancelled ? null : err));
  call.on('end', () => finish(null));
  return {
    cancel() {
      cancelled = true;
      call.cancel();
      finish(null);
    },
  };
}
