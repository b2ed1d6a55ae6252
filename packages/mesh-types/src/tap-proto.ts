import { fileURLToPath } from 'node:url';

/** Path of tap.proto, for @grpc/proto-loader on both sides of the tap stream (a Node-only entry point). */
export const TAP_PROTO_PATH = fileURLToPath(new URL('../proto/tap.proto', import.meta.url));
export const TAP_SERVICE = 'meshviz.tap.v1.Tap';

/*
 * tap.proto's messages as @grpc/proto-loader hands them over on both ends (camelCase fields, longs as numbers,
 * enums as strings, defaults on). The proxy's tap server writes these objects; the API's tap service reads them.
 */

export interface WirePeer {
  readonly addr: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly pod: string;
  /** The peer's mTLS identity; "" when the hop is not mutual TLS (absent from older proxies). */
  readonly identity?: string;
}

export interface WireHeader {
  readonly name: string;
  readonly value: string;
}

export interface WireRequestInit {
  readonly method: string;
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
  readonly headers: readonly WireHeader[];
  readonly timestampMs: number;
}

export interface WireResponseInit {
  readonly status: number;
  readonly headers: readonly WireHeader[];
  readonly sinceRequestInitMs: number;
}

export interface WireResponseEnd {
  /** -1 when the exchange is not gRPC. */
  readonly grpcStatus: number;
  /** Proxy error kind when the exchange failed, else "". */
  readonly reset: string;
  readonly responseBytes: number;
  readonly sinceRequestInitMs: number;
  readonly sinceResponseInitMs: number;
}

/** Inbound only: the policy's decision ("" for fields that do not apply, e.g. `authorization` when denied). */
export interface WireAuthz {
  readonly denied: boolean;
  readonly server: string;
  readonly route: string;
  readonly authorization: string;
  readonly reason: string;
}

export type WireEventPart = 'requestInit' | 'responseInit' | 'responseEnd' | 'drops';

export interface WireTapEvent {
  readonly id: string;
  readonly direction: string;
  readonly source?: WirePeer | null;
  readonly destination?: WirePeer | null;
  /** "true" or "no_identity", as the `tls` metric label; with the reason when not. */
  readonly tls?: string;
  readonly noTlsReason?: string;
  /** Inbound: what the authorization policy decided; absent (null when decoded) outbound and from older proxies. */
  readonly authz?: WireAuthz | null;
  /** Which member of the oneof is set; present on the decoding side (`oneofs: true`). */
  readonly event?: WireEventPart;
  readonly requestInit?: WireRequestInit;
  readonly responseInit?: WireResponseInit;
  readonly responseEnd?: WireResponseEnd;
  readonly drops?: { readonly count: number };
}

export type WireMatchField =
  | 'direction'
  | 'method'
  | 'pathPrefix'
  | 'authority'
  | 'scheme'
  | 'dstNamespace'
  | 'dstDeployment'
  | 'dstPod';

/** ObserveRequest: every non-empty `match` field must hold; `maxRps` caps this subscription's events. */
export interface WireObserveRequest {
  readonly maxRps: number;
  readonly match?: Partial<Record<WireMatchField, string>> | null;
}
