import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { TAP_PROTO_PATH, type WireObserveRequest, type WireTapEvent } from '@meshviz/mesh-types/tap-proto';

/** A TapEvent as a grpc-js client decodes it (the tap service's own view of the wire). */
export type DecodedTapEvent = WireTapEvent;
export type ObserveArgs = WireObserveRequest;

export interface TapStream {
  readonly events: DecodedTapEvent[];
  readonly call: grpc.ClientReadableStream<DecodedTapEvent>;
  /** Settles when the stream ends, with its status (code 0 when the server ended it cleanly). */
  readonly ended: Promise<{ code: number; details: string }>;
  cancel(): void;
}

type Client = grpc.Client & {
  observe(request: ObserveArgs, metadata: grpc.Metadata): grpc.ClientReadableStream<DecodedTapEvent>;
};
let ctor: (new (addr: string, creds: grpc.ChannelCredentials) => Client) | undefined;

/**
 * Opens Observe on a tap server the way the API's tap service does, with a real grpc-js client. `authorization`
 * is the metadata value as sent (see `bearer`); undefined sends none.
 */
export function observeTap(addr: string, request: ObserveArgs, authorization: string | undefined): TapStream {
  if (!ctor) {
    const def = protoLoader.loadSync(TAP_PROTO_PATH, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      meshviz: { tap: { v1: { Tap: new (addr: string, creds: grpc.ChannelCredentials) => Client } } };
    };
    ctor = pkg.meshviz.tap.v1.Tap;
  }
  const client = new ctor(addr, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  const call = client.observe(request, metadata);
  const events: DecodedTapEvent[] = [];
  call.on('data', (event: DecodedTapEvent) => events.push(event));
  const ended = new Promise<{ code: number; details: string }>((resolve) => {
    call.on('error', (error: grpc.ServiceError) => resolve({ code: error.code, details: error.details }));
    call.on('status', (status: grpc.StatusObject) => {
      if (status.code === grpc.status.OK) resolve({ code: 0, details: status.details });
    });
  }).finally(() => client.close());
  return {
    events,
    call,
    ended,
    cancel: () => call.cancel(),
  };
}

export const bearer = (token: string): string => `Bearer ${token}`;

/** Groups events by request id, in arrival order, leaving out Drops events. */
export function byRequest(events: readonly DecodedTapEvent[]): Map<string, DecodedTapEvent[]> {
  const out = new Map<string, DecodedTapEvent[]>();
  for (const event of events) {
    if (event.event === 'drops') continue;
    const list = out.get(event.id) ?? [];
    list.push(event);
    out.set(event.id, list);
  }
  return out;
}
