import { formatCount } from '../../lib/format';
import { RowAttrs, TestIds } from '../../testids';
import styles from './live-stream.module.css';
import type { UpstreamError } from './upstream-errors';

export interface StreamCount {
  /** A stable name for tests (data-count). */
  name: string;
  term: string;
  value: number;
  /** Marks a count that means something was lost. */
  warn: boolean;
}

/** A row of counts of a stream (Tap's and Top's), each a term and its number. */
export function StreamCounts({ items }: { items: readonly StreamCount[] }) {
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

/** The latest proxy streams that failed while the rest went on (nothing when none did). */
export function ProxyStreamErrors({ errors }: { errors: readonly UpstreamError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className={styles.warnings} aria-label="Proxy streams that failed">
      {errors.map((e) => (
        <li key={`${e.at}-${e.pod}`}>
          The stream from {e.pod} failed at {new Date(e.at).toLocaleTimeString()}: {e.message}. The other proxies go on.
        </li>
      ))}
    </ul>
  );
}
