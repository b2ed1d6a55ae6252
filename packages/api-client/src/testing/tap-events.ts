import type { TapEvent } from '@meshviz/mesh-types';

interface RequestShape {
  id: string;
  direction?: TapEvent['direction'];
  method?: string;
  path?: string;
  status?: number;
  grpcStatus?: number | null;
  reset?: string;
  latencyMs?: number;
  bytes?: number;
  timestampMs?: number;
}

/** The three parts of one tapped request, shaped as the API streams them (for tests of code that reads them). */
export function tapParts(shape: RequestShape): [TapEvent, TapEvent, TapEvent] {
  const base = {
    id: shape.id,
    direction: shape.direction ?? 'outbound',
    source: { addr: '127.0.0.1:40000', namespace: 'bookshop', deployment: 'web', pod: 'web-0' },
    destination: { addr: '127.0.0.1:41000', namespace: 'bookshop', deployment: 'reviews', pod: 'reviews-0' },
    proxy: { namespace: 'bookshop', deployment: 'web', pod: 'web-0' },
  } satisfies Omit<TapEvent, 'requestInit' | 'responseInit' | 'responseEnd'>;
  const latency = shape.latencyMs ?? 4.25;
  return [
    {
      ...base,
      requestInit: {
        method: shape.method ?? 'GET',
        scheme: 'http',
        authority: 'reviews.bookshop.svc.cluster.local',
        path: shape.path ?? '/reviews',
        headers: [
          { name: 'host', value: 'reviews.bookshop.svc.cluster.local' },
          { name: 'authorization', value: '[redacted]' },
        ],
        timestampMs: shape.timestampMs ?? 1_700_000_000_123.5,
      },
    },
    {
      ...base,
      responseInit: {
        status: shape.status ?? 200,
        headers: [{ name: 'content-type', value: 'application/json' }],
        sinceRequestInitMs: latency / 2,
      },
    },
    {
      ...base,
      responseEnd: {
        grpcStatus: shape.grpcStatus ?? null,
        reset: shape.reset ?? '',
        responseBytes: shape.bytes ?? 71,
        sinceRequestInitMs: latency,
        sinceResponseInitMs: latency / 2,
      },
    },
  ];
}
