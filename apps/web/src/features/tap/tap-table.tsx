'use client';

import { type KeyboardEvent, type MouseEvent, memo, useLayoutEffect, useRef } from 'react';
import { DeniedBadge } from '../../components/security/denied-badge';
import { useVirtualRows } from '../../components/virtual-list/use-virtual-rows';
import { formatLatencyMs } from '../../lib/format';
import { RowAttrs, TestIds } from '../../testids';
import type { RequestRows, TapRequest } from './request-log';
import { formatBytes, formatTapTime, statusText, summarize } from './request-summary';
import styles from './tap.module.css';

/** Fixed, so windowing can place rows by arithmetic; the CSS uses the same value. */
export const TAP_ROW_HEIGHT = 34;

interface Props {
  rows: RequestRows;
  /** Requests ever added at the top (moves on each batch): keeps a scrolled view on the rows the user looks at. */
  added: number;
  selectedId: string | null;
  onOpen: (request: TapRequest) => void;
  label: string;
}

/**
 * Tapped requests, newest first, one row per request. Only the rows in view are in the DOM (spacer rows stand for
 * the others), so ten thousand rows cost what thirty do. Each row opens with a click anywhere on it, or with its
 * first cell's button (Enter or Space); arrow keys, Page Up/Down, Home and End move between rows.
 */
export function TapTable({ rows, added, selectedId, onOpen, label }: Props) {
  const head = useRef<HTMLTableSectionElement>(null);
  const { scroller, range, reveal } = useVirtualRows(rows.size, TAP_ROW_HEIGHT, { head });
  const lastAdded = useRef(added);
  const focusIndex = useRef<number | null>(null);

  // New requests go on top: when the user has scrolled down, move by as many rows so what they read stays put.
  useLayoutEffect(() => {
    const delta = added - lastAdded.current;
    lastAdded.current = added;
    const element = scroller.current;
    if (element && delta > 0 && element.scrollTop > 0) element.scrollTop += delta * TAP_ROW_HEIGHT;
  }, [added, scroller]);

  // A keyboard move may need a scroll before the target row exists: focus it once it is rendered.
  useLayoutEffect(() => {
    if (focusIndex.current === null) return;
    const button = scroller.current?.querySelector<HTMLButtonElement>(`tr[data-index="${focusIndex.current}"] button`);
    if (button) {
      button.focus({ preventScroll: true });
      focusIndex.current = null;
    }
  });

  const visible: { index: number; request: TapRequest }[] = [];
  for (let index = range.start; index < range.end; index++) {
    const request = rows.at(index);
    if (request) visible.push({ index, request });
  }

  function indexOf(target: EventTarget): number | null {
    const row = (target as HTMLElement).closest<HTMLElement>('tr[data-index]');
    return row ? Number(row.dataset.index) : null;
  }

  function onKeyDown(event: KeyboardEvent<HTMLTableSectionElement>) {
    const index = indexOf(event.target);
    if (index === null) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / TAP_ROW_HEIGHT) - 2);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rows.size - 1,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const target = Math.max(0, Math.min(rows.size - 1, to));
    reveal(target);
    focusIndex.current = target;
    // The row may be in the DOM already (no scroll needed): focus it now.
    scroller.current?.querySelector<HTMLButtonElement>(`tr[data-index="${target}"] button`)?.focus({ preventScroll: true });
  }

  function onClick(event: MouseEvent<HTMLTableSectionElement>) {
    const index = indexOf(event.target);
    const request = index === null ? undefined : rows.at(index);
    if (request) onOpen(request);
  }

  const after = Math.max(0, rows.size - range.end);
  return (
    <div ref={scroller} className={styles.scroller}>
      <table className={styles.tapTable} aria-rowcount={rows.size + 1} data-testid={TestIds.tapTable}>
        <caption className="visually-hidden">{label}</caption>
        <colgroup>
          <col className={styles.colTime} />
          <col className={styles.colDir} />
          <col />
          <col className={styles.colMethod} />
          <col />
          <col className={styles.colStatus} />
          <col className={styles.colLatency} />
          <col className={styles.colBytes} />
        </colgroup>
        <thead ref={head}>
          <tr aria-rowindex={1}>
            <th scope="col">Time</th>
            <th scope="col" title="in: seen by the receiving proxy · out: seen by the calling proxy">
              Dir.
            </th>
            <th scope="col">From → to</th>
            <th scope="col">Method</th>
            <th scope="col">Request</th>
            <th scope="col">Status</th>
            <th scope="col" className={styles.num}>
              Latency
            </th>
            <th scope="col" className={styles.num}>
              Bytes
            </th>
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown} onClick={onClick}>
          {range.start > 0 ? <tr className={styles.spacer} style={{ height: range.start * TAP_ROW_HEIGHT }} /> : null}
          {visible.map(({ index, request }) => (
            <TapRow key={request.seq} index={index} request={request} parts={request.parts.length} selected={request.id === selectedId} />
          ))}
          {after > 0 ? <tr className={styles.spacer} style={{ height: after * TAP_ROW_HEIGHT }} /> : null}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  index: number;
  request: TapRequest;
  /** Parts received: a row re-renders when one arrives (the request object itself changes in place). */
  parts: number;
  selected: boolean;
}

const TapRow = memo(
  function TapRow({ index, request, selected }: RowProps) {
    const s = summarize(request);
    const status = statusText(s);
    const failed = s.outcome === 'failure';
    const target = `${s.authority}${s.path}`;
    return (
      <tr
        aria-rowindex={index + 2}
        className={styles.row}
        data-index={index}
        data-selected={selected || undefined}
        data-testid={TestIds.tapRow}
        {...{
          [RowAttrs.requestId]: request.id,
          [RowAttrs.outcome]: s.outcome,
          [RowAttrs.parts]: request.parts.length,
          [RowAttrs.denied]: s.denied ? 'true' : undefined,
        }}
      >
        <td className={styles.mono}>
          <button type="button" className={styles.rowButton} aria-expanded={selected} aria-controls={selected ? 'tap-panel' : undefined}>
            {formatTapTime(s.timestampMs)}
            <span className="visually-hidden">: details of {s.method} {target}</span>
          </button>
        </td>
        <td>{s.direction === 'inbound' ? 'in' : 'out'}</td>
        <td>
          <span title={s.sourceDetail}>{s.source}</span>
          <span className={styles.arrow} aria-hidden="true">
            {' → '}
          </span>
          <span className="visually-hidden"> to </span>
          <span title={s.destinationDetail}>{s.destination}</span>
        </td>
        <td className={styles.method}>{s.method || '—'}</td>
        <td title={target}>
          <span className={styles.muted}>{s.authority}</span>
          {s.path}
        </td>
        <td
          className={failed ? styles.failed : s.outcome === 'pending' && !s.denied ? styles.muted : undefined}
          title={s.denied ? `${status} · denied by policy${s.authz?.reason ? `: ${s.authz.reason}` : ''}` : status}
        >
          {s.denied ? <DeniedMark /> : null}
          {failed ? <FailedMark /> : null}
          {status}
        </td>
        <td className={styles.num}>{s.latencyMs === null ? '—' : formatLatencyMs(s.latencyMs)}</td>
        <td className={styles.num}>{formatBytes(s.bytes)}</td>
      </tr>
    );
  },
  (a, b) => a.request === b.request && a.parts === b.parts && a.index === b.index && a.selected === b.selected,
);

/** A cross in a circle and the word, so a failure never depends on colour alone. */
export function FailedMark() {
  return (
    <>
      <svg className={styles.failIcon} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle cx="8" cy="8" r="7" />
        <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" />
      </svg>
      <span className="visually-hidden">failed: </span>
    </>
  );
}

/** The "denied" badge of a request policy refused (its reason on hover, and in the request's panel). */
export function DeniedMark() {
  return (
    <span className={styles.deniedMark} data-testid={TestIds.tapDenied}>
      <DeniedBadge />
      <span className="visually-hidden">: </span>
    </span>
  );
}
