import { ApiRequestError, errorFromResponse, type FailureWording, failureError } from './api-request-error.js';
import type { StreamEndpoint, StreamEventOf } from './endpoints.js';
import { readSse } from './sse-parser.js';
import { decodeStreamEvent, InvalidStreamEvent } from './stream-events.js';

export interface EventStreamOptions {
  wording: FailureWording;
  /** The tap token, sent as a bearer token (the reason for fetch rather than EventSource). */
  token: string;
  /** Aborting closes the connection, which ends the API's upstream streams too. */
  signal: AbortSignal;
}

/**
 * Opens one of the API's event streams and calls `onEvent` with each event, checked against its schema, until the
 * server ends the stream (resolves) or it fails (rejects with an ApiRequestError: the API's own error before the
 * stream starts, the client's wording after). An abort rejects with the abort itself; an error `onEvent` throws
 * passes through as it is. Either way the connection is closed.
 */
export async function readEventStream<S extends StreamEndpoint>(
  url: string,
  stream: S,
  options: EventStreamOptions,
  onEvent: (event: StreamEventOf<S>) => void,
): Promise<void> {
  const { wording, token, signal } = options;
  let response: Response;
  try {
    // Node's fetch types lack `cache`; browsers must not serve a stream from their HTTP cache.
    const init: RequestInit & { cache: 'no-store' } = {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
      cache: 'no-store',
      signal,
    };
    response = await fetch(url, init);
  } catch (err) {
    if (signal.aborted) throw err;
    throw failureError({ kind: 'unreachable', url, cause: err }, wording);
  }
  if (!response.ok) throw await errorFromResponse(response, url, wording);
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.startsWith('text/event-stream') || response.body === null) {
    await response.body?.cancel();
    throw failureError({ kind: 'not-a-stream', url, status: response.status, contentType }, wording);
  }
  const handlerFailed = { error: undefined as unknown };
  try {
    await readSse(response.body, {
      message: (message) => {
        const event = decodeStreamEvent(stream, message.event, message.data);
        if (event === null) return;
        try {
          onEvent(event);
        } catch (err) {
          handlerFailed.error = err;
          throw err;
        }
      },
    });
  } catch (err) {
    if (signal.aborted || err === handlerFailed.error || err instanceof ApiRequestError) throw err;
    if (err instanceof InvalidStreamEvent) {
      throw failureError({ kind: 'invalid-event', url, event: err.event, detail: err.detail }, wording);
    }
    throw failureError({ kind: 'stream-broken', url, cause: err }, wording);
  }
}
