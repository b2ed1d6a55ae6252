/**
 * Constants of the proxy's transport telemetry that sit beside METRIC and LABEL (metrics.ts): the label
 * key tcp_close_total adds, the peer values of the tcp_* families and the bounds of their duration histogram.
 */
export const TCP_LABEL = {
  /** Why a connection closed: the OS error code (ECONNRESET…), absent when it closed cleanly. */
  errno: 'errno',
} as const;

/** `peer="src"`: a connection the proxy accepted; `peer="dst"`: one it opened towards an upstream. */
export const PEERS = ['src', 'dst'] as const;
export type Peer = (typeof PEERS)[number];

/** Connection lifetimes span milliseconds to hours, so the bounds grow faster than the request latency ones. */
export const TCP_DURATION_BUCKETS_MS: readonly number[] = [
  1, 10, 100, 1000, 10_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 14_400_000, 86_400_000,
];

