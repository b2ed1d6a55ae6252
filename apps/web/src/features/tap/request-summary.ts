import { GRPC_FAILURE_STATUSES, POLICY_ERROR_KINDS, shortIdentity, type TapEvent, type TapPeer } from '@meshviz/mesh-types';
import type { TapRequest } from './request-log';

/** in flight (no end yet), or finished: failure as the proxy's metrics count it (5xx, a failing gRPC status, a reset). */
export type Outcome = 'pending' | 'success' | 'failure';

/** What the receiving proxy's policy decided (inbound parts only). */
export type TapAuthz = NonNullable<TapEvent['authz']>;

export interface RequestSummary {
  timestampMs: number | null;
  direction: 'inbound' | 'outbound';
  source: string;
  destination: string;
  /** Namespace, workload, pod and address, for tooltips. */
  sourceDetail: string;
  destinationDetail: string;
  method: string;
  authority: string;
  path: string;
  status: number | null;
  grpcStatus: number | null;
  reset: string;
  latencyMs: number | null;
  bytes: number | null;
  outcome: Outcome;
  /** The policy decision, when the part that carries it has arrived (inbound requests); null otherwise. */
  authz: TapAuthz | null;
  /** Policy refused the request (its answer is the proxy's 403 or PERMISSION_DENIED, a success to the metrics). */
  denied: boolean;
}

/** gRPC status codes by number (the gRPC specification's names). */
const GRPC_NAMES = [
  'OK',
  'Cancelled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
] as const;

export function grpcStatusName(code: number): string {
  return GRPC_NAMES[code] ?? `code ${code}`;
}

/** A peer as a row shows it: workload/pod when the proxy knows them, else its address. */
/**
 * Who a peer is, shortest first: its workload and pod when the proxy knows them; else, for the client of an inbound
 * mTLS hop (whose pod an inbound proxy cannot see), its identity as `serviceaccount.namespace`; else its address.
 */
export function peerLabel(peer: TapPeer): string {
  if (peer.deployment) return peer.pod ? `${peer.deployment}/${peer.pod}` : peer.deployment;
  if (peer.pod) return peer.pod;
  if (peer.identity) return shortIdentity(peer.identity);
  return peer.addr || 'unknown';
}

export function peerDetail(peer: TapPeer): string {
  const who = peer.deployment
    ? `${peer.namespace}/${peer.deployment}`
    : peer.namespace
      ? `namespace ${peer.namespace}`
      : peer.identity
        ? `identity ${peer.identity}`
        : 'not meshed';
  return [who, peer.pod ? `pod ${peer.pod}` : '', peer.addr].filter(Boolean).join(' · ');
}

/** A policy refusal (403 unauthorized, 404 route_not_found) is the mesh answering as configured, not a failure. */
export function isFailure(status: number | null, grpcStatus: number | null, reset: string): boolean {
  return (reset !== '' && !POLICY_ERROR_KINDS.has(reset)) || (status !== null && status >= 500) || (grpcStatus !== null && GRPC_FAILURE_STATUSES.includes(grpcStatus));
}

/** The policy decision of a request: the first of its parts that carries one. */
export function authzOf(request: Pick<TapRequest, 'parts'>): TapAuthz | null {
  for (const part of request.parts) if (part.authz) return part.authz;
  return null;
}

/** What a row shows of a request, whichever of its parts have arrived. */
export function summarize(request: TapRequest): RequestSummary {
  const first = request.init ?? request.parts[0]!;
  const init = request.init?.requestInit;
  const end = request.end?.responseEnd;
  const status = request.response?.responseInit?.status ?? null;
  const grpcStatus = end?.grpcStatus ?? null;
  const reset = end?.reset ?? '';
  const failed = isFailure(status, grpcStatus, reset);
  const authz = authzOf(request);
  return {
    timestampMs: init?.timestampMs ?? null,
    direction: first.direction,
    source: peerLabel(first.source),
    destination: peerLabel(first.destination),
    sourceDetail: peerDetail(first.source),
    destinationDetail: peerDetail(first.destination),
    method: init?.method ?? '',
    authority: init?.authority ?? '',
    path: init?.path ?? '',
    status,
    grpcStatus,
    reset,
    latencyMs: end?.sinceRequestInitMs ?? null,
    bytes: end?.responseBytes ?? null,
    outcome: failed ? 'failure' : end ? 'success' : 'pending',
    authz,
    denied: authz?.denied === true,
  };
}

/** The status cell's words: "200", "503", "200 · gRPC Unavailable (14)", "reset: …", "…" while in flight. */
export function statusText(summary: Pick<RequestSummary, 'status' | 'grpcStatus' | 'reset' | 'outcome'>): string {
  const parts: string[] = [];
  if (summary.status !== null) parts.push(String(summary.status));
  if (summary.grpcStatus !== null) parts.push(`gRPC ${grpcStatusName(summary.grpcStatus)} (${summary.grpcStatus})`);
  if (summary.reset !== '') parts.push(POLICY_ERROR_KINDS.has(summary.reset) ? summary.reset : `reset: ${summary.reset}`);
  if (parts.length === 0) return summary.outcome === 'pending' ? 'in flight' : 'no response';
  return parts.join(' · ');
}

/** Bytes as people read them: "71 B", "1.5 KiB", "2.0 MiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A tap timestamp as wall-clock time with milliseconds: "14:03:07.123". */
export function formatTapTime(timestampMs: number | null): string {
  if (timestampMs === null || !Number.isFinite(timestampMs)) return '—';
  const d = new Date(timestampMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
