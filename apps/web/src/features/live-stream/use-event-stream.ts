'use client';

import { ApiRequestError, type QueryOf, type STREAMS, type StreamEventOf } from '@meshviz/api-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { dashboardApi } from '../../lib/dashboard-api';
import { clearTapToken } from '../../lib/tap-token';
import { isTransient, type Reconnected, type Reconnecting, reconnectDelayMs } from './reconnect';

/** The API's two live streams: each request as it happens (tap), or requests grouped every second (top). */
export type LiveStream = typeof STREAMS.tap | typeof STREAMS.top;
/** An event of either, checked against its schema. */
export type LiveEvent = StreamEventOf<LiveStream>;
/** What a live stream listens to: the filters that are set, under the API's parameter names. */
export type LiveQuery = QueryOf<LiveStream>;

/**
 * idle: never started · connecting: asked, no `start` yet · live: events flowing · reconnecting: it broke while
 * live and is being opened again by itself · stopped: by the user · ended: the API closed the stream · failed: an
 * error (kept in `error`).
 */
export type StreamStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'stopped' | 'ended' | 'failed';

export interface StreamState {
  status: StreamStatus;
  error: ApiRequestError | null;
  /** The proxies the API listens to ("namespace/pod"), from its `start` event. */
  proxies: string[];
  /** When the current or last stream was started (epoch ms). */
  startedAt: number | null;
  /** While reconnecting: since when, why, and the attempt. */
  reconnecting: Reconnecting | null;
  /** The last break this stream came back from (what may be missing), until Start or Stop. */
  reconnected: Reconnected | null;
}

const IDLE: StreamState = { status: 'idle', error: null, proxies: [], startedAt: null, reconnecting: null, reconnected: null };

/** The API refused to tap for this token (not the dashboard's own origin check): the form must ask again. */
export function isTokenRefusal(error: ApiRequestError): boolean {
  return error.status === 401 || (error.status === 403 && error.code === 'API_TAP_FORBIDDEN');
}

/** One Start: what it asked for, and the break it is recovering from, if any. */
interface Session {
  query: LiveQuery;
  token: string;
  brokeAt: number | null;
  attempt: number;
  timer: ReturnType<typeof setTimeout> | null;
}

const toError = (err: unknown) => (err instanceof ApiRequestError ? err : new ApiRequestError(0, 'WEB_STREAM_BROKEN', String(err)));

/**
 * One tap or top stream at a time, by fetch: start() opens it (closing any previous one), stop() and unmounting
 * abort it, which ends the API's upstream streams as well. Events go to `onEvent` (the latest one given). A refused
 * token is forgotten, so the token form comes back. A stream that breaks after it went live (the API restarted, the
 * dashboard server went away) is opened again by itself with backoff (reconnect.ts) and the same query; what the
 * page holds stays, and `reconnected` says from when to when requests may be missing. A Start that fails stays failed.
 */
export function useEventStream(stream: LiveStream, onEvent: (event: LiveEvent) => void) {
  const [state, setState] = useState<StreamState>(IDLE);
  const controller = useRef<AbortController | null>(null);
  const session = useRef<Session | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;

  const close = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    if (session.current?.timer) clearTimeout(session.current.timer);
    session.current = null;
  }, []);
  useEffect(() => close, [close]);

  const connect = useCallback(
    (s: Session) => {
      const abort = new AbortController();
      controller.current = abort;
      let live = false;
      const broke = (error: ApiRequestError | null) => {
        const now = Date.now();
        s.brokeAt ??= now;
        s.attempt++;
        const delayMs = reconnectDelayMs(s.attempt);
        const reconnecting: Reconnecting = {
          brokeAt: s.brokeAt,
          cause: error ? error.message : 'The API ended the stream.',
          code: error ? error.code : null,
          attempt: s.attempt,
          nextAt: now + delayMs,
          delayMs,
          trying: false,
        };
        setState((st) => ({ ...st, status: 'reconnecting', reconnecting, reconnected: null }));
        s.timer = setTimeout(() => {
          s.timer = null;
          setState((st) => (st.reconnecting ? { ...st, reconnecting: { ...st.reconnecting, trying: true } } : st));
          connect(s);
        }, delayMs);
      };
      dashboardApi
        .stream(stream, { query: s.query }, s.token, abort.signal, (event) => {
          // Events already parsed when the user pressed Stop belong to no one.
          if (abort.signal.aborted) return;
          if (event.name === 'start') {
            live = true;
            const reconnected = s.brokeAt === null ? null : { brokeAt: s.brokeAt, at: Date.now(), attempts: s.attempt };
            s.brokeAt = null;
            s.attempt = 0;
            setState((st) => ({
              ...st,
              status: 'live',
              proxies: event.data.proxies,
              reconnecting: null,
              reconnected: reconnected ?? st.reconnected,
            }));
          }
          handler.current(event);
        })
        .then(
          () => {
            if (abort.signal.aborted) return;
            if (live || s.brokeAt !== null) broke(null);
            else setState((st) => ({ ...st, status: 'ended' }));
          },
          (err: unknown) => {
            if (abort.signal.aborted) return;
            const error = toError(err);
            if ((live || s.brokeAt !== null) && isTransient(error)) return broke(error);
            setState((st) => ({ ...st, status: 'failed', error, reconnecting: null }));
            if (isTokenRefusal(error)) clearTapToken();
          },
        );
    },
    [stream],
  );

  const start = useCallback(
    (query: LiveQuery, token: string) => {
      close();
      const s: Session = { query, token, brokeAt: null, attempt: 0, timer: null };
      session.current = s;
      setState({ ...IDLE, status: 'connecting', startedAt: Date.now() });
      connect(s);
    },
    [close, connect],
  );

  const stop = useCallback(() => {
    close();
    setState((s) => (isRunning(s.status) ? { ...s, status: 'stopped', reconnecting: null } : s));
  }, [close]);

  return { ...state, start, stop };
}

/** Whether a stream is open or opening. */
export function isRunning(status: StreamStatus): boolean {
  return status === 'connecting' || status === 'live' || status === 'reconnecting';
}
