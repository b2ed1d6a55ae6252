import type { Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { TAP_PROTO_PATH, TAP_SERVICE } from '@meshviz/mesh-types/tap-proto';
import type { Logger } from 'pino';
import { checkBearer } from './auth.js';
import type { WireTapEvent } from './events.js';
import type { TapHub } from './hub.js';
import { type DecodedObserveRequest, parseObserveRequest } from './match.js';
import type { Subscription } from './subscription.js';

/** Observe served over connections the tap listener accepts and hands in. */
export interface TapService {
  /** Serves one accepted connection (plaintext HTTP/2). */
  accept(socket: Socket): void;
  /** Ends every Observe stream (UNAVAILABLE) and closes every connection without waiting for subscribers. */
  close(): Promise<void>;
}

export interface TapServiceOptions {
  /** Bearer token callers must present; unset: every call is refused (UNAUTHENTICATED). */
  readonly token: string | undefined;
  readonly log: Logger;
}

type ObserveCall = grpc.ServerWritableStream<DecodedObserveRequest, WireTapEvent>;

/** Same decoding as the tap service's client: camelCase fields, 64-bit integers as numbers, defaults filled. */
const LOAD_OPTIONS: protoLoader.Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };
/** How long shutdown lets ended streams flush their status before cutting the connections. */
const CLOSE_TIMEOUT_MS = 500;

/**
 * meshviz.tap.v1.Tap/Observe, each stream a subscription on `hub`. This module is the only one that loads
 * @grpc/grpc-js and the proto; the tap listener imports it when its first connection arrives.
 */
export function createTapService(hub: TapHub, options: TapServiceOptions): TapService {
  const log = options.log.child({ component: 'tap' });
  const definition = protoLoader.loadSync(TAP_PROTO_PATH, LOAD_OPTIONS);
  const service = definition[TAP_SERVICE] as grpc.ServiceDefinition;
  const calls = new Map<ObserveCall, Subscription>();
  const server = new grpc.Server();
  const observe = (call: ObserveCall): void => {
    const denied = checkBearer(call.metadata.get('authorization')[0], options.token);
    if (denied) {
      log.debug({ peer: call.getPeer(), reason: denied }, 'tap call refused');
      fail(call, grpc.status.UNAUTHENTICATED, denied);
      return;
    }
    const parsed = parseObserveRequest(call.request);
    if (!parsed.ok) {
      fail(call, grpc.status.INVALID_ARGUMENT, parsed.message);
      return;
    }
    const subscription = hub.subscribe(call, parsed.maxRps, parsed.filter);
    if ('refused' in subscription) {
      fail(call, subscription.closed ? grpc.status.UNAVAILABLE : grpc.status.RESOURCE_EXHAUSTED, subscription.refused);
      return;
    }
    calls.set(call, subscription);
    log.info({ peer: call.getPeer(), maxRps: parsed.maxRps, match: parsed.filter }, 'tap subscription opened');
    // 'cancelled' is the client going away (cancel or disconnect); 'close' covers every other end of the stream.
    const remove = (): void => {
      if (!calls.delete(call)) return;
      hub.unsubscribe(subscription);
      log.info({ peer: call.getPeer() }, 'tap subscription closed');
    };
    call.once('cancelled', remove);
    call.once('close', remove);
  };
  server.addService(service, { Observe: observe });
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());

  const close = async (): Promise<void> => {
    hub.close();
    for (const [call] of calls) fail(call, grpc.status.UNAVAILABLE, 'the proxy is shutting down');
    calls.clear();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, CLOSE_TIMEOUT_MS);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  };
  return { accept: (socket) => injector.injectConnection(socket), close };
}

/** Ends the stream with a status; grpc-js turns an 'error' carrying code and details into the trailers. */
function fail(call: ObserveCall, code: grpc.status, details: string): void {
  call.emit('error', Object.assign(new Error(details), { code, details }));
}
