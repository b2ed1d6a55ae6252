import styles from './secured-badge.module.css';

/** A padlock (our own drawing, so it shows without an emoji font). */
export function LockIcon({ open = false }: { open?: boolean }) {
  return (
    <svg className={styles.icon} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7.5" rx="1.5" />
      <path d={open ? 'M5.5 7V4.8a2.5 2.5 0 0 1 4.9-.7' : 'M5.5 7V4.8a2.5 2.5 0 0 1 5 0V7'} />
    </svg>
  );
}

interface Props {
  secured: boolean;
  /** Why not, when not secured. */
  reason?: string | undefined;
  /** Fraction of requests over mTLS, when known. */
  share?: number | null;
}

/** "mTLS" with a closed lock, or "not secured" with an open one and the reason beside it. */
export function SecuredBadge({ secured, reason, share }: Props) {
  if (secured) {
    return (
      <span className={`${styles.badge} ${styles.secured}`}>
        <LockIcon /> mTLS
      </span>
    );
  }
  const partial = share !== null && share !== undefined && share > 0 ? ` (${Math.round(share * 100)}% mTLS)` : '';
  return (
    <span className={styles.wrap}>
      <span className={`${styles.badge} ${styles.insecure}`}>
        <LockIcon open /> not secured{partial}
      </span>
      {reason ? <span className={styles.reason}>{reason}</span> : null}
    </span>
  );
}
