import { OUTBOUND_ANNOTATIONS, OUTBOUND_DEFAULTS } from '@meshviz/mesh-types';
import { DURATION_HINT, parseGatewayDuration, timeoutMs } from './durations.js';

/**
 * The outbound annotations (OUTBOUND_ANNOTATIONS) of a Service or an outbound route, read and checked. A Service's
 * values are the defaults of its routes; a route's win, one annotation at a time. Every bad value is an issue naming
 * the annotation (its key) and the value. Failure accrual belongs to a Service's endpoints, so its annotations are
 * refused on a route.
 */
export interface OutboundSettings {
  retryHttp?: [number, number][];
  retryGrpc?: number[];
  retryLimit?: number;
  /** null: no per-attempt timeout (`0s`). */
  retryTimeoutMs?: number | null;
  requestMs?: number | null;
  responseMs?: number | null;
  idleMs?: number | null;
  accrual?: 'consecutive';
  accrualMaxFailures?: number;
  accrualMinPenaltyMs?: number;
  accrualMaxPenaltyMs?: number;
  accrualJitter?: number;
  faultAbort?: { share: number; status: number };
  faultDelay?: { share: number; ms: number };
}

export interface AnnotationIssue {
  /** The annotation's key. */
  readonly key: string;
  readonly message: string;
}

export type AnnotationTarget = 'route' | 'service';

const A = OUTBOUND_ANNOTATIONS;
/** The annotation domains meshviz reads: an unknown key in one of them is a typo, not someone else's annotation. */
const DOMAINS = ['retry.meshviz.io/', 'timeout.meshviz.io/', 'balancer.meshviz.io/', 'fault.meshviz.io/'];
const KNOWN = new Set<string>(Object.values(A));
const SERVICE_ONLY = new Set<string>([A.failureAccrual, A.accrualMaxFailures, A.accrualMinPenalty, A.accrualMaxPenalty, A.accrualJitter]);

/** gRPC status codes by name, as the retry annotation takes them (index = code). `ok` is never retried. */
export const GRPC_CODE_NAMES = [
  'ok',
  'cancelled',
  'unknown',
  'invalid-argument',
  'deadline-exceeded',
  'not-found',
  'already-exists',
  'permission-denied',
  'resource-exhausted',
  'failed-precondition',
  'aborted',
  'out-of-range',
  'unimplemented',
  'internal',
  'unavailable',
  'data-loss',
  'unauthenticated',
] as const;

/** True when the key is one of meshviz's outbound annotation domains (known or not). */
export function isOutboundAnnotation(key: string): boolean {
  return DOMAINS.some((d) => key.startsWith(d));
}

type Parsed<T> = T | { error: string };
const fail = (error: string) => ({ error });
const isError = <T>(value: Parsed<T>): value is { error: string } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'error' in value;

function status(text: string): number | undefined {
  if (!/^\d{3}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 100 && n <= 599 ? n : undefined;
}

const HTTP_RETRY_HINT = 'must be a comma-separated list of 5xx, gateway-error, a status (504) or a range (500-504)';

function httpStatuses(text: string): Parsed<[number, number][]> {
  const ranges: [number, number][] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '5xx') ranges.push([500, 599]);
    else if (item === 'gateway-error') ranges.push([502, 504]);
    else if (status(item) !== undefined) ranges.push([status(item)!, status(item)!]);
    else {
      const m = /^(\d{3})-(\d{3})$/.exec(item);
      const lo = m ? status(m[1]!) : undefined;
      const hi = m ? status(m[2]!) : undefined;
      if (lo === undefined || hi === undefined) return fail(`"${item}" is not a retryable status: ${HTTP_RETRY_HINT}`);
      if (lo > hi) return fail(`"${item}" is an empty range: the first status must not exceed the second`);
      ranges.push([lo, hi]);
    }
  }
  return ranges;
}

function grpcCodes(text: string): Parsed<number[]> {
  const codes: number[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const code = (GRPC_CODE_NAMES as readonly string[]).indexOf(item);
    if (code <= 0) {
      const names = GRPC_CODE_NAMES.slice(1).join(', ');
      return fail(`"${item}" is not a gRPC status to retry: must be a comma-separated list of ${names}`);
    }
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

function integer(text: string, min: number, max: number): Parsed<number> {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) return fail(`must be a whole number from ${min} to ${max}`);
  return Number(text);
}

function duration(text: string, allowZero: boolean): Parsed<number> {
  const ms = parseGatewayDuration(text);
  if (ms === undefined) return fail(`must be ${allowZero ? DURATION_HINT : 'a duration such as 500ms, 10s or 1m30s'}`);
  if (!allowZero && ms === 0) return fail('must be longer than 0s');
  return ms;
}

const SHARE = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/;
function share(text: string): number | undefined {
  return SHARE.test(text) ? Number(text) : undefined;
}

const SHARE_HINT = 'a share from 0 to 1 (0.1 for a tenth of the requests)';

function fault<T>(text: string, form: string, second: (part: string) => Parsed<T>): Parsed<{ share: number; value: T }> {
  const colon = text.indexOf(':');
  if (colon < 0) return fail(`must be ${form}`);
  const s = share(text.slice(0, colon));
  if (s === undefined) return fail(`must be ${form}: "${text.slice(0, colon)}" is not ${SHARE_HINT}`);
  const value = second(text.slice(colon + 1));
  if (isError(value)) return fail(`must be ${form}: ${value.error}`);
  return { share: s, value };
}

/** The settings the annotations give, and an issue for each annotation that cannot be used. */
export function readOutboundAnnotations(
  annotations: Readonly<Record<string, unknown>> | undefined,
  target: AnnotationTarget,
): { settings: OutboundSettings; issues: AnnotationIssue[] } {
  const settings: OutboundSettings = {};
  const issues: AnnotationIssue[] = [];
  for (const [key, raw] of Object.entries(annotations ?? {})) {
    if (!isOutboundAnnotation(key)) continue;
    const issue = (message: string) => issues.push({ key, message });
    if (!KNOWN.has(key)) {
      const known = [...KNOWN].filter((k) => k.startsWith(key.slice(0, key.indexOf('/') + 1)));
      issue(`unknown annotation: meshviz reads ${known.join(', ')}`);
      continue;
    }
    if (target === 'route' && SERVICE_ONLY.has(key)) {
      issue("is a Service annotation: failure accrual belongs to a Service's endpoints, not to a route; annotate the Service");
      continue;
    }
    if (typeof raw !== 'string') continue; // the metadata schema reports a value that is not a string
    const text = raw.trim();
    const bad = (reason: string) => issue(`invalid value "${raw}": ${reason}`);
    const take = <T>(value: Parsed<T>, set: (v: T) => void) => (isError(value) ? bad(value.error) : set(value));
    switch (key) {
      case A.retryHttp:
        take(httpStatuses(text), (v) => (settings.retryHttp = v));
        break;
      case A.retryGrpc:
        take(grpcCodes(text), (v) => (settings.retryGrpc = v));
        break;
      case A.retryLimit:
        take(integer(text, 0, 10), (v) => (settings.retryLimit = v));
        break;
      case A.retryTimeout:
        take(duration(text, true), (v) => (settings.retryTimeoutMs = timeoutMs(v)));
        break;
      case A.timeoutRequest:
        take(duration(text, true), (v) => (settings.requestMs = timeoutMs(v)));
        break;
      case A.timeoutResponse:
        take(duration(text, true), (v) => (settings.responseMs = timeoutMs(v)));
        break;
      case A.timeoutIdle:
        take(duration(text, true), (v) => (settings.idleMs = timeoutMs(v)));
        break;
      case A.failureAccrual:
        if (text === 'consecutive') settings.accrual = 'consecutive';
        else bad('must be "consecutive" (trip after consecutive failures; meshviz has no other mode)');
        break;
      case A.accrualMaxFailures:
        take(integer(text, 1, 1_000), (v) => (settings.accrualMaxFailures = v));
        break;
      case A.accrualMinPenalty:
        take(duration(text, false), (v) => (settings.accrualMinPenaltyMs = v));
        break;
      case A.accrualMaxPenalty:
        take(duration(text, false), (v) => (settings.accrualMaxPenaltyMs = v));
        break;
      case A.accrualJitter: {
        const s = share(text);
        if (s === undefined) bad('must be a ratio from 0 to 1, such as 0.5');
        else settings.accrualJitter = s;
        break;
      }
      case A.faultAbort:
        take(fault(text, '"<share>:<status>", e.g. 0.1:503', abortStatus), (v) => (settings.faultAbort = { share: v.share, status: v.value }));
        break;
      case A.faultDelay:
        take(fault(text, '"<share>:<duration>", e.g. 0.05:200ms', (d) => duration(d, false)), (v) => (settings.faultDelay = { share: v.share, ms: v.value }));
        break;
    }
  }
  const min = settings.accrualMinPenaltyMs ?? OUTBOUND_DEFAULTS.accrualMinPenaltyMs;
  const max = settings.accrualMaxPenaltyMs ?? OUTBOUND_DEFAULTS.accrualMaxPenaltyMs;
  if (min > max && (settings.accrualMinPenaltyMs !== undefined || settings.accrualMaxPenaltyMs !== undefined)) {
    const key = settings.accrualMaxPenaltyMs !== undefined ? A.accrualMaxPenalty : A.accrualMinPenalty;
    issues.push({ key, message: `the max penalty (${max} ms) is shorter than the min penalty (${min} ms)` });
  }
  return { settings, issues };
}

function abortStatus(text: string): Parsed<number> {
  const n = status(text);
  return n !== undefined && n >= 200 ? n : fail(`"${text}" is not an HTTP status from 200 to 599`);
}

/** True when any annotation asks for something outbound (unknown keys in the domains included: they are errors). */
export function hasOutboundAnnotations(annotations: Readonly<Record<string, unknown>> | undefined): boolean {
  return Object.keys(annotations ?? {}).some(isOutboundAnnotation);
}
