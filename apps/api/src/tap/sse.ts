import type { StreamEndpoint, StreamEventName } from '@meshviz/api-client';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** Output waiting for a slow client beyond which tap stops admitting new requests to it (they are counted as drops). */
export const SSE_MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * Server-Sent Events on a hijacked reply: the events the endpoint table names for this stream, each with the JSON
 * data its schema says, and a comment every 15 s so idle streams stay open.
 */
export interface SseStream<S extends StreamEndpoint> {
  send<K extends StreamEventName<S>>(event: K, data: z.input<S['events'][K]['schema']>): void;
  /** False while more than SSE_MAX_BUFFERED_BYTES wait for the client. */
  hasRoom(): boolean;
  /** Called each time the client has caught up with what was written. */
  onDrain(fn: () => void): void;
  close(): void;
  onClose(fn: () => void): void;
}

export function openSse<S extends StreamEndpoint>(reply: FastifyReply): SseStream<S> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  let closed = false;
  const listeners: Array<() => void> = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    for (const fn of listeners) fn();
  };
  res.on('close', finish);
  return {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    hasRoom() {
      return res.writableLength < SSE_MAX_BUFFERED_BYTES;
    },
    onDrain(fn) {
      res.on('drain', fn);
    },
    close() {
      finish();
      res.end();
    },
    onClose(fn) {
      listeners.push(fn);
    },
  };
}
