'use client';

import { ApiRequestError, type QueryOf, type STREAMS, type StreamEventOf } from '@meshviz/api-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { dashboardApi } from '../../lib/dashboard-api';
import { clearTapToken } from '../../lib/tap-token';

/** The API's two live streams: each request as it happens (tap), or requests grouped every second (top). */
export type LiveStream = typeof STREAMS.tap | typeof STREAMS.top;
/** An event of either, checked against its schema. */
export type LiveEvent = StreamEventOf<LiveStream>;
/** What a live stream listens to: the filters that are set, under the API's parameter names. */
export type LiveQuery = QueryOf<LiveStream>;

/**
 * idle: never started · connecting: asked, no `start` yet · live: events flowing · stopped: by the user ·
 * ended: the API closed the stream · failed: an error (kept in `error`).
 */
export type StreamStatus = 'idle' | 'connecting' | 'live' | 'stopped' | 'ended' | 'failed';

export interface StreamState {
  status: StreamStatus;
  error: ApiRequestError | null;
  /** The proxies the API listens to ("namespace/pod"), from its `start` event. */
  proxies: string[];
  /** When the current or last stream was started (epoch ms). */
  startedAt: number | null;
}

const IDLE: StreamState = { status: 'idle', error: null, proxies: [], startedAt: null };

/** The API refused to tap for this token (not the dashboard's own origin check): the form must ask again. */
export function isTokenRefusal(error: ApiRequestError): boolean {
  return error.status === 401 || (error.status === 403 && error.code === 'API_TAP_FORBIDDEN');
}

/**
 * One tap or top stream at a time, by fetch: start() opens it (closing any previous one), stop() and unmounting
 * abort it, which ends the API's upstream streams as well. Events go to `onEvent` (the latest one given). A refused
 * token is forgotten, so the token form comes back.
 */
export function useEventStream(stream: LiveStream, onEvent: (event: LiveEvent) => void) {
  const [state, setState] = useState<StreamState>(IDLE);
  const controller = useRef<AbortController | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(
    (query: LiveQuery, token: string) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setState({ status: 'connecting', error: null, proxies: [], startedAt: Date.now() });
      dashboardApi
        .stream(stream, { query }, token, abort.signal, (event) => {
          // Events already parsed when the user pressed Stop belong to no one.
          if (abort.signal.aborted) return;
          if (event.name === 'start') setState((s) => ({ ...s, status: 'live', proxies: event.data.proxies }));
          handler.current(event);
        })
        .then(
          () => {
            if (!abort.signal.aborted) setState((s) => ({ ...s, status: 'ended' }));
          },
          (err: unknown) => {
            if (abort.signal.aborted) return;
            const error = err instanceof ApiRequestError ? err : new ApiRequestError(0, 'WEB_STREAM_BROKEN', String(err));
            setState((s) => ({ ...s, status: 'failed', error }));
            if (isTokenRefusal(error)) clearTapToken();
          },
        );
    },
    [stream],
  );

  const stop = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setState((s) => (s.status === 'connecting' || s.status === 'live' ? { ...s, status: 'stopped' } : s));
  }, []);

  return { ...state, start, stop };
}

/** Whether a stream is open or opening. */
export function isRunning(status: StreamStatus): boolean {
  return status === 'connecting' || status === 'live';
}
