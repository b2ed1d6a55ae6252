import type { CheckStatus } from '@meshviz/mesh-types';
import styles from './check.module.css';

const LABEL: Record<CheckStatus, string> = { ok: 'passed', warn: 'warning', fail: 'failed' };
const PATH: Record<CheckStatus, string> = {
  ok: 'M4.5 8.5l2.2 2.2 4.8-5',
  warn: 'M8 4.5v4.2M8 11.2v.1',
  fail: 'M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4',
};

/** A round status mark with its word for screen readers; colour is never the only signal. */
export function StatusIcon({ status }: { status: CheckStatus }) {
  return (
    <span className={styles.status} data-status={status}>
      <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle cx="8" cy="8" r="7" />
        <path d={PATH[status]} />
      </svg>
      <span className="visually-hidden">{LABEL[status]}</span>
    </span>
  );
}

export function statusWord(status: CheckStatus): string {
  return LABEL[status];
}
