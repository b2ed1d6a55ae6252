import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { TAP_PROTO_PATH } from '@meshviz/mesh-types/tap-proto';

/** The proto's TapEvent as proto-loader decodes it (longs as numbers, enums as strings, oneof name set). */
export interface WireEvent {
  id: string;
  direction: string;
  source?: WirePeer;
  destination?: WirePeer;
  event?: 'requestInit' | 'responseInit' | 'responseEnd' | 'drops';
  requestInit?: { method: string; scheme: string; authority: string; path: string; headers: WireHeader[]; timestampMs: number };
  responseInit?: { status: number; headers: WireHeader[]; sinceRequestInitMs: number };
  responseEnd?: {
    grpcStatus: number;
    reset: string;
    responseBytes: number;
    sinceRequestInitMs: number;
    sinceResponseInitMs: number;
  };
  drops?: { count: number };
}
export interface WirePeer {
  addr: string;
  namespace: string;
  deployment: string;
  pod: string;
}
export interface WireHeader {
  name: string;
  value: string;
}

export interface ObserveRequest {
  maxRps: number;
  match: {
    direction?: string;
    method?: string;
    pathPrefix?: string;
    authority?: string;
    scheme?: string;
    dstNamespace?: string;
    dstDeployment?: string;
    dstPod?: string;
  };
}

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
