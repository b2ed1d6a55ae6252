/** tap.proto's messages as this server hands them to @grpc/proto-loader: shared with the API's tap service. */
export type {
  WireAuthz,
  WireHeader,
  WirePeer,
  WireRequestInit,
  WireResponseEnd,
  WireResponseInit,
  WireTapEvent,
} from '@meshviz/mesh-types/tap-proto';

/** This proxy's workload, as the tap events name it; "" for parts the runtime did not say. */
export interface ProxyIdentity {
  readonly namespace: string;
  readonly deployment: string;
  readonly pod: string;
  /** This proxy's mTLS identity name; "" when it runs without identity. */
  readonly identityName?: string;
}
