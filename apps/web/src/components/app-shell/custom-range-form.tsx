'use client';

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { fromDateTimeLocal, toDateTimeLocal } from '../../lib/time-format';
import { customRangeProblem, rangeSeconds, type TimeRange } from '../../lib/view-params';
import { TestIds } from '../../testids';
import styles from './time-controls.module.css';

interface Props {
  time: TimeRange;
  onApply: (fromSeconds: number, toSeconds: number) => void;
  onCancel: () => void;
}

/** A from/to form under the range picker; Escape closes it, a bad range is explained before it reaches the URL. */
export function CustomRangeForm({ time, onApply, onCancel }: Props) {
  const [initial] = useState(() => {
    const toMs = time.kind === 'absolute' ? time.to * 1000 : Date.now();
    return { from: toDateTimeLocal(toMs - rangeSeconds(time) * 1000), to: toDateTimeLocal(toMs) };
  });
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { from: useId(), to: useId(), title: useId() };
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    const fromMs = fromDateTimeLocal(from);
    const toMs = fromDateTimeLocal(to);
    const reason = customRangeProblem(fromMs, toMs, Date.now());
    setProblem(reason);
    if (reason === null) onApply(Math.floor(fromMs / 1000), Math.floor(toMs / 1000));
  }

  return (
    <form
      className={styles.popover}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
      aria-labelledby={ids.title}
    >
      <p id={ids.title} className={styles.popoverTitle}>
        Custom time range
      </p>
      <label htmlFor={ids.from}>From</label>
      <input
        ref={first}
        id={ids.from}
        type="datetime-local"
        value={from}
        onChange={(e) => setFrom(e.target.value)}
        data-testid={TestIds.customRangeFrom}
        required
      />
      <label htmlFor={ids.to}>To</label>
      <input id={ids.to} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid={TestIds.customRangeTo} required />
      {problem ? (
        <p className={styles.problem} role="alert">
          {problem}
        </p>
      ) : null}
      <div className={styles.actions}>
        <button type="button" onClick={onCancel} className={styles.secondary}>
          Cancel
        </button>
        <button type="submit" className={styles.primary} data-testid={TestIds.customRangeApply}>
          Apply
        </button>
      </div>
    </form>
  );
}
