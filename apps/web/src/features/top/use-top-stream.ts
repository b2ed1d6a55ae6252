'use client';

import { STREAMS } from '@meshviz/api-client';
import type { TopSnapshot } from '@meshviz/mesh-types';
import { useCallback, useState } from 'react';
import { type UpstreamError, withUpstreamError } from '../live-stream/upstream-errors';
import { type LiveEvent, type LiveQuery, useEventStream } from '../live-stream/use-event-stream';

/**
 * A top stream: the API aggregates the tapped requests itself and sends the whole table once a second, so the
 * latest snapshot is all there is to keep. It stays on screen after Stop or an error.
 */
export function useTopStream() {
  const [latest, setLatest] = useState<{ snapshot: TopSnapshot; at: number } | null>(null);
  const [upstreamErrors, setUpstreamErrors] = useState<UpstreamError[]>([]);
  const onEvent = useCallback((event: LiveEvent) => {
    if (event.name === 'top') setLatest({ snapshot: event.data, at: Date.now() });
    else if (event.name === 'upstream-error') {
      const at = Date.now();
      setUpstreamErrors((list) => withUpstreamError(list, event.data, at));
    }
  }, []);
  const stream = useEventStream(STREAMS.top, onEvent);
  const start = useCallback(
    (query: LiveQuery, token: string) => {
      setLatest(null);
      setUpstreamErrors([]);
      stream.start(query, token);
    },
    [stream.start],
  );
  return { stream, snapshot: latest?.snapshot ?? null, snapshotAt: latest?.at ?? null, upstreamErrors, start, stop: stream.stop };
}
