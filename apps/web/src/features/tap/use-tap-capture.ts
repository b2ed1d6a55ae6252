'use client';

import { STREAMS } from '@meshviz/api-client';
import type { TapEvent } from '@meshviz/mesh-types';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type UpstreamError, withUpstreamError } from '../live-stream/upstream-errors';
import { type LiveEvent, type LiveQuery, useEventStream } from '../live-stream/use-event-stream';
import { EventBatcher } from './event-batcher';
import { RequestLog, type RequestRows, type RequestSnapshot } from './request-log';

/**
 * A tap on the page: the stream, the requests it brought (correlated, capped), what the proxies reported (drops,
 * streams that ended) and pause. Events wait in a batcher and reach the log and the screen at most 10 times a
 * second. Pause freezes a copy of the rows while the stream goes on; resume shows everything that came meanwhile.
 */
export function useTapCapture() {
  const log = useRef(new RequestLog()).current;
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  const reports = useRef({ drops: 0, errors: 0, lastErrors: [] as UpstreamError[] });
  const [frozen, setFrozen] = useState<{ rows: RequestSnapshot; total: number } | null>(null);

  const batcher = useRef<EventBatcher<TapEvent> | null>(null);
  batcher.current ??= new EventBatcher<TapEvent>((events) => {
    log.addAll(events);
    bump();
  });
  useEffect(() => () => batcher.current?.dispose(), []);

  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.name === 'tap') batcher.current?.push(event.data);
      else if (event.name === 'drops') {
        reports.current.drops += event.data.count;
        bump();
      } else if (event.name === 'upstream-error') {
        const r = reports.current;
        r.errors++;
        r.lastErrors = withUpstreamError(r.lastErrors, event.data, Date.now());
        bump();
      }
    },
    [bump],
  );
  const stream = useEventStream(STREAMS.tap, onEvent);

  const start = useCallback(
    (query: LiveQuery, token: string) => {
      batcher.current?.dispose();
      log.clear();
      reports.current = { drops: 0, errors: 0, lastErrors: [] };
      setFrozen(null);
      bump();
      stream.start(query, token);
    },
    [log, bump, stream.start],
  );

  const stop = useCallback(() => {
    stream.stop();
    // What had arrived before Stop is shown, nothing after.
    batcher.current?.flush();
  }, [stream.stop]);

  const pause = useCallback(() => {
    batcher.current?.flush();
    setFrozen({ rows: log.snapshot(), total: log.total });
  }, [log]);
  const resume = useCallback(() => setFrozen(null), []);

  const rows: RequestRows = frozen?.rows ?? log;
  return {
    stream,
    log,
    rows,
    /** Requests added at the top of what is shown (frozen while paused). */
    added: frozen?.total ?? log.total,
    paused: frozen !== null,
    /** Requests that arrived since Pause. */
    arrivedWhilePaused: frozen ? log.total - frozen.total : 0,
    drops: reports.current.drops,
    upstreamErrors: reports.current.errors,
    lastUpstreamErrors: reports.current.lastErrors,
    version,
    start,
    stop,
    pause,
    resume,
  };
}
