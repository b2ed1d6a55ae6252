/**
 * The answer worker's entry: computes whole-mesh answers (answer-jobs.ts) on a thread of its own, so the API's
 * event loop keeps serving calls while a refresh decodes megabytes of store answers, folds them into a graph,
 * validates it and writes its JSON. It reaches the store with a client of its own, configured as the API's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { createPrometheusClient, type PrometheusClient } from '../prometheus/client.js';
import { overRecordedRates } from '../prometheus/recorded-sums.js';
import { timedPrometheus } from '../prometheus/timed.js';
import { answerOf } from './answer-jobs.js';
import { type AnswerWorkerData, type JobMessage, toWire, type WorkerMessage } from './wire.js';

const port = parentPort;
if (!port) throw new Error('answer-worker.ts runs as a worker thread (see answer-thread.ts), not on its own');
const data = workerData as AnswerWorkerData;
const log = pino({ level: data.logLevel, base: { thread: 'answer-worker' } });
const send = (m: WorkerMessage) => port.postMessage(m);

let prom: PrometheusClient = overRecordedRates(createPrometheusClient(data.prometheus), data.recordedWindows, log);
if (data.timed) prom = timedPrometheus(prom, (timing) => send({ timing }));

port.on('message', (m: JobMessage) => {
  answerOf(prom, m.job).then(
    (json) => send({ id: m.id, ok: true, json }),
    (err: unknown) => send({ id: m.id, ok: false, error: toWire(err) }),
  );
});
