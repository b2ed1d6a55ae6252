'use client';

import type { TopSnapshot } from '@meshviz/mesh-types';
import { useCallback, useState } from 'react';
import type { StreamEvent } from '../tap/tap-stream';
import type { UpstreamError } from '../tap/use-tap-capture';
import { useEventStream } from '../tap/use-event-stream';

const MAX_LISTED_ERRORS = 5;

/**
 * A top stream: the API aggregates the tapped requests itself and sends the whole table once a second, so the
 * latest snapshot is all there is to keep. It stays on screen after Stop or an error.
 */
export function useTopStream() {
  const [latest, setLatest] = useState<{ snapshot: TopSnapshot; at: number } | null>(null);
  const [upstreamErrors, setUpstreamErrors] = useState<UpstreamError[]>([]);
  const onEvent = useCallback((event: StreamEvent) => {
    if (event.type === 'top') setLatest({ snapshot: event.snapshot, at: Date.now() });
    else if (event.type === 'upstream-error') {
      const error = { pod: event.pod, message: event.message, at: Date.now() };
      setUpstreamErrors((list) => [error, ...list].slice(0, MAX_LISTED_ERRORS));
    }
  }, []);
  const stream = useEventStream(onEvent);
  const start = useCallback(
    (path: string, token: string) => {
      setLatest(null);
      setUpstreamErrors([]);
      stream.start(path, token);
    },
    [stream.start],
  );
  return { stream, snapshot: latest?.snapshot ?? null, snapshotAt: latest?.at ?? null, upstreamErrors, start, stop: stream.stop };
}
