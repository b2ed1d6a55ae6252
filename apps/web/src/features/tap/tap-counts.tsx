import { StreamCounts } from '../live-stream/stream-counts';

interface Props {
  seen: number;
  shown: number;
  drops: number;
  upstreamErrors: number;
}

/** How much the tap saw, and what it lost on the way (proxies dropping events, streams that ended). */
export function TapCounts({ seen, shown, drops, upstreamErrors }: Props) {
  return (
    <StreamCounts
      items={[
        { name: 'seen', term: 'Requests seen', value: seen, warn: false },
        { name: 'shown', term: 'On this page', value: shown, warn: false },
        { name: 'drops', term: 'Events dropped by proxies', value: drops, warn: drops > 0 },
        { name: 'upstream-errors', term: 'Proxy streams failed', value: upstreamErrors, warn: upstreamErrors > 0 },
      ]}
    />
  );
}

