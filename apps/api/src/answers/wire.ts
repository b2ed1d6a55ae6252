import type { ApiErrorCode } from '@meshviz/mesh-types';
import { ApiHttpError, apiErrors } from '../errors.js';
import type { PrometheusOptions } from '../prometheus/client.js';
import type { QueryTiming } from '../prometheus/timed.js';
import type { AnswerJob } from './answer-jobs.js';

/** What the answer worker is started with: how to reach the store, as the API's own client does. */
export interface AnswerWorkerData {
  prometheus: PrometheusOptions;
  recordedWindows: string[];
  logLevel: string;
  /** Report each store query's time (QueryTiming) to the main thread: the benchmark's breakdown. */
  timed: boolean;
}

/** main → worker */
export interface JobMessage {
  id: number;
  job: AnswerJob;
}

/** An error as it crosses the thread: the API's catalogue entry when it is one, with its internal detail as text. */
export type WireError =
  | { api: true; status: number; code: ApiErrorCode; publicMessage: string; param?: string | undefined; detail: string }
  | { api: false; name: string; message: string; stack?: string | undefined };

/** worker → main */
export type WorkerMessage =
  | { id: number; ok: true; json: string }
  | { id: number; ok: false; error: WireError }
  | { timing: QueryTiming };

/** The messages of an error and of its causes, for the logs: what `cause` held on the worker's side. */
function detailOf(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    parts.push(e instanceof Error ? e.message : JSON.stringify(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ');
}

export function toWire(err: unknown): WireError {
  if (err instanceof ApiHttpError) {
    return { api: true, status: err.status, code: err.code, publicMessage: err.publicMessage, param: err.param, detail: detailOf(err.cause) };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { api: false, name: e.name, message: e.message, stack: e.stack };
}

/** The error the route throws: the same catalogue entry (status, code, public message) as on the main thread. */
export function fromWire(w: WireError): Error {
  if (w.api) {
    return new ApiHttpError(w.status, w.code, w.publicMessage, { cause: new Error(`in the answer worker: ${w.detail}`), ...(w.param ? { param: w.param } : {}) });
  }
  const e = new Error(w.message);
  e.name = w.name;
  if (w.stack) e.stack = w.stack;
  return apiErrors.internal(e);
}
