'use client';

import { useId, useState } from 'react';
import { formatClock } from '../../lib/time-format';
import { useViewParams } from '../../lib/use-view-params';
import {
  DEFAULT_REFRESH,
  DEFAULT_WINDOW,
  RANGE_OPTIONS,
  REFRESH_OPTIONS,
  rangeSeconds,
  timeRangeUpdates,
  WINDOW_OPTIONS,
} from '../../lib/view-params';
import { TestIds } from '../../testids';
import { CustomRangeForm } from './custom-range-form';
import styles from './time-controls.module.css';

const CUSTOM = 'custom';

/**
 * The view state every page shares, in the URL: the stats window, the charts' time range (or a custom from/to) and
 * how often data refreshes. Defaults are left out of the URL.
 */
export function TimeControls() {
  const { view, setParams } = useViewParams();
  const [editing, setEditing] = useState(false);
  const ids = { window: useId(), range: useId(), refresh: useId() };
  const { time } = view;

  return (
    <div className={styles.controls}>
      <div className={styles.field}>
        <label htmlFor={ids.window}>Window</label>
        <select
          id={ids.window}
          className={styles.select}
          value={view.window}
          onChange={(e) => setParams({ window: e.target.value === DEFAULT_WINDOW ? null : e.target.value })}
          data-testid={TestIds.windowSelect}
          title="Rate window of the tables and the graph"
        >
          {WINDOW_OPTIONS.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.field}>
        <label htmlFor={ids.range}>Range</label>
        <select
          id={ids.range}
          className={styles.select}
          value={time.kind === 'absolute' ? CUSTOM : time.range}
          onChange={(e) => {
            const value = e.target.value;
            if (value === CUSTOM) setEditing(true);
            else {
              setEditing(false);
              setParams(timeRangeUpdates({ kind: 'relative', range: value as (typeof RANGE_OPTIONS)[number] }));
            }
          }}
          data-testid={TestIds.rangeSelect}
          title="Time range of the charts"
        >
          {RANGE_OPTIONS.map((r) => (
            <option key={r} value={r}>
              Last {r}
            </option>
          ))}
          <option value={CUSTOM}>Custom…</option>
        </select>
        {time.kind === 'absolute' ? (
          <button type="button" className={styles.rangeButton} onClick={() => setEditing((open) => !open)} aria-expanded={editing}>
            {formatClock(time.from, rangeSeconds(time))} – {formatClock(time.to, rangeSeconds(time))}
          </button>
        ) : null}
      </div>
      <div className={styles.field}>
        <label htmlFor={ids.refresh}>Refresh</label>
        <select
          id={ids.refresh}
          className={styles.select}
          value={view.refresh}
          onChange={(e) => setParams({ refresh: e.target.value === DEFAULT_REFRESH ? null : e.target.value })}
          data-testid={TestIds.refreshSelect}
        >
          {REFRESH_OPTIONS.map((r) => (
            <option key={r} value={r}>
              {r === 'off' ? 'Off' : `Every ${r}`}
            </option>
          ))}
        </select>
      </div>
      {editing ? (
        <CustomRangeForm
          time={time}
          onCancel={() => setEditing(false)}
          onApply={(from, to) => {
            setEditing(false);
            setParams(timeRangeUpdates({ kind: 'absolute', from, to }));
          }}
        />
      ) : null}
    </div>
  );
}
