import { formatCount } from '../../lib/format';
import { RowAttrs, TestIds } from '../../testids';
import styles from './tap.module.css';

interface Props {
  seen: number;
  shown: number;
  drops: number;
  upstreamErrors: number;
}

/** How much the tap saw, and what it lost on the way (proxies dropping events, streams that ended). */
export function TapCounts({ seen, shown, drops, upstreamErrors }: Props) {
  const items = [
    { name: 'seen', term: 'Requests seen', value: seen, warn: false },
    { name: 'shown', term: 'On this page', value: shown, warn: false },
    { name: 'drops', term: 'Events dropped by proxies', value: drops, warn: drops > 0 },
    { name: 'upstream-errors', term: 'Proxy streams failed', value: upstreamErrors, warn: upstreamErrors > 0 },
  ];
  return (
    <dl className={styles.counts}>
      {items.map((item) => (
        <div
          key={item.name}
          className={item.warn ? styles.countWarn : undefined}
          data-testid={TestIds.tapCount}
          {...{ [RowAttrs.count]: item.name, [RowAttrs.value]: item.value }}
        >
          <dt>{item.term}</dt>
          <dd>{formatCount(item.value)}</dd>
        </div>
      ))}
    </dl>
  );
}
