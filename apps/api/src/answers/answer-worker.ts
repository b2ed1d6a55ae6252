/**
 * The answer worker's entry: computes whole-mesh answers (answer-jobs.ts) on a thread of its own, so the API's
 * event loop keeps serving calls while a refresh decodes megabytes of store answers, folds them into a graph,
 * validates it and writes its JSON. It reaches the store with a client of its own, configured as the API's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { logDestination } from '@meshviz/runtime/log-destination';
import pino from 'pino';
import { createPrometheusClient } from '../prometheus/client.js';
import { storeClient } from '../prometheus/store-client.js';
import { answerOf } from './answer-jobs.js';
import { type AnswerWorkerData, type JobMessage, toWire, type WorkerMessage } from './wire.js';

const port = parentPort;
if (!port) throw new Error('answer-worker.ts runs as a worker thread (see answer-thread.ts), not on its own');
const data = workerData as AnswerWorkerData;
const log = pino({ level: data.logLevel, base: { thread: 'answer-worker' } }, logDestination());
const send = (m: WorkerMessage) => port.postMessage(m);

const prom = storeClient(createPrometheusClient(data.prometheus), data.recordedWindows, log, data.timed ? (timing) => send({ timing }) : undefined);

port.on('message', (m: JobMessage) => {
  answerOf(prom, m.job).then(
    (json) => send({ id: m.id, ok: true, json }),
    (err: unknown) => send({ id: m.id, ok: false, error: toWire(err) }),
  );
});
