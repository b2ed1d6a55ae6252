import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { apiErrors } from '../errors.js';
import type { PrometheusClient } from '../prometheus/client.js';
import type { QueryTiming } from '../prometheus/timed.js';
import { type AnswerJob, answerOf } from './answer-jobs.js';
import { type AnswerWorkerData, fromWire, type JobMessage, type WorkerMessage } from './wire.js';

/** Computes the stats and topology answers (answer-jobs.ts) as the JSON text sent to callers. */
export interface AnswerComputer {
  answer(job: AnswerJob): Promise<string>;
  close(): Promise<void>;
}

/** On the API's own thread: with a store client injected by a test, or API_ANSWER_WORKER_HEAP_MB=off. */
export function inlineAnswers(prom: PrometheusClient): AnswerComputer {
  return { answer: (job) => answerOf(prom, job), close: async () => {} };
}

/**
 * The worker's entry beside this module: answer-worker.js in the built code (dist/, how the bins and `meshviz up`
 * run the API); when this module itself runs as TypeScript (vitest, the benchmark), answer-worker.ts, loaded by a
 * few lines that first register tsx's loader in the worker (Node 20 takes no --import for a worker).
 */
export function workerEntry(moduleUrl: string = import.meta.url): { entry: URL | string; eval: boolean } {
  if (!moduleUrl.endsWith('.ts')) return { entry: new URL('./answer-worker.js', moduleUrl), eval: false };
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(new URL('./answer-worker.ts', moduleUrl).href);
  return { entry: `import(${tsx}).then((tsx) => { tsx.register(); return import(${source}); });`, eval: true };
}

export interface AnswerThreadOptions {
  data: AnswerWorkerData;
  /** The worker's heap limit (resourceLimits.maxOldGenerationSizeMb): a computation beyond it ends the worker. */
  heapMb: number;
  log: FastifyBaseLogger;
  /** Told each store query the worker makes, when `data.timed`. */
  onTiming?: (t: QueryTiming) => void;
}

interface Pending {
  resolve: (json: string) => void;
  reject: (err: Error) => void;
}

/**
 * One worker thread computing the answers, started at the first job. Its jobs run side by side there (each
 * mostly waits on the store); the API's event loop only hands out the finished JSON. A worker that dies (out of
 * heap, a bug) fails the jobs it held with API_INTERNAL, logged, and the next job starts a new one: no call waits
 * on a thread that is gone. The worker keeps the process alive only while it has jobs; close() ends it.
 */
export class AnswerThread implements AnswerComputer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Workers started, restarts included. */
  started = 0;

  constructor(private readonly o: AnswerThreadOptions) {}

  answer(job: AnswerJob): Promise<string> {
    if (this.closed) return Promise.reject(apiErrors.internal(new Error('the API is shutting down')));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, job } satisfies JobMessage);
    });
  }

  /** Ends the worker; jobs still running fail (the API is closing). */
  async close(): Promise<void> {
    this.closed = true;
    this.failAll(apiErrors.internal(new Error('the API is shutting down')));
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private start(): Worker {
    const { entry, eval: isSource } = workerEntry();
    const w = new Worker(entry, { eval: isSource, workerData: this.o.data, resourceLimits: { maxOldGenerationSizeMb: this.o.heapMb } });
    this.started++;
    this.worker = w;
    w.unref();
    w.on('message', (m: WorkerMessage) => {
      if ('timing' in m) {
        this.o.onTiming?.(m.timing);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.ok) p.resolve(m.json);
      else p.reject(fromWire(m.error));
    });
    w.on('error', (err) => this.stopped(w, err));
    w.on('exit', (code) => this.stopped(w, new Error(`the answer worker exited with code ${code}`)));
    return w;
  }

  /** The first of 'error' and 'exit' of the current worker: its jobs fail, the next job starts another. */
  private stopped(w: Worker, err: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    void w.terminate();
    if (this.closed) return;
    const jobs = this.pending.size;
    this.o.log.error(
      { err, jobs, heapMb: this.o.heapMb },
      `the answer worker stopped (${err.message}; heap limit ${this.o.heapMb} MB, API_ANSWER_WORKER_HEAP_MB): its ${jobs} job(s) fail with API_INTERNAL, the next one starts a new worker`,
    );
    this.failAll(apiErrors.internal(new Error('the answer worker stopped', { cause: err })));
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}
