import { TapDrops, TapEvent, TapStreamStart, TapUpstreamError, TopSnapshot } from '@meshviz/mesh-types';
import { z } from 'zod';
import { ApiRequestError, errorFromResponse } from '../../lib/api-request';
import { readSse } from '../../lib/sse';

/** One event of /api/v1/tap or /api/v1/top, checked against its schema. */
export type StreamEvent =
  | { type: 'start'; proxies: string[] }
  | { type: 'tap'; event: TapEvent }
  | { type: 'drops'; drops: TapDrops }
  | { type: 'upstream-error'; pod: string; message: string }
  | { type: 'top'; snapshot: TopSnapshot };

const READERS: Record<string, (json: unknown) => StreamEvent> = {
  start: (json) => ({ type: 'start', proxies: TapStreamStart.parse(json).proxies }),
  tap: (json) => ({ type: 'tap', event: TapEvent.parse(json) }),
  drops: (json) => ({ type: 'drops', drops: TapDrops.parse(json) }),
  'upstream-error': (json) => ({ type: 'upstream-error', ...TapUpstreamError.parse(json) }),
  top: (json) => ({ type: 'top', snapshot: TopSnapshot.parse(json) }),
};

/** An event of the stream as a StreamEvent; unknown event names give null (a newer API may send more). */
export function parseStreamEvent(name: string, data: string): StreamEvent | null {
  const read = Object.hasOwn(READERS, name) ? READERS[name] : undefined;
  if (read === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw invalid(name, 'it is not JSON');
  }
  try {
    return read(json);
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    const issue = err.issues[0];
    throw invalid(name, `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'does not match'}`);
  }
}

function invalid(event: string, detail: string): ApiRequestError {
  return new ApiRequestError(
    200,
    'WEB_INVALID_RESPONSE',
    `The API sent a "${event}" event this dashboard does not understand (${detail}). Are the API and web the same version?`,
  );
}

/**
 * Opens a tap stream (fetch, since EventSource cannot send the token) and calls `onEvent` for each event until the
 * server ends it (resolves) or it fails (rejects with an ApiRequestError: the API's own error before the stream
 * starts, WEB_* codes after). Aborting `signal` closes the connection, which ends the API's upstream streams too;
 * the promise then rejects with the abort.
 */
export async function readTapStream(
  path: string,
  token: string,
  signal: AbortSignal,
  onEvent: (event: StreamEvent) => void,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ApiRequestError(0, 'WEB_UNREACHABLE', 'The dashboard server is not reachable.');
  }
  if (!response.ok) throw await errorFromResponse(response);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream') || response.body === null) {
    await response.body?.cancel();
    throw new ApiRequestError(response.status, 'WEB_UNEXPECTED_RESPONSE', `The API answered ${type || 'without a content type'} instead of an event stream.`);
  }
  try {
    await readSse(response.body, (message) => {
      const event = parseStreamEvent(message.event, message.data);
      if (event !== null) onEvent(event);
    });
  } catch (err) {
    if (signal.aborted || err instanceof ApiRequestError) throw err;
    throw new ApiRequestError(0, 'WEB_STREAM_BROKEN', 'The stream broke off: the dashboard server or the API went away.');
  }
}
