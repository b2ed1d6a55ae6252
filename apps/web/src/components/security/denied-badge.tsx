import type { ReactNode } from 'react';
import styles from './secured-badge.module.css';

/** A no-entry sign (our own drawing, like the padlock): policy refused the request. */
export function NoEntryIcon() {
  return (
    <svg className={`${styles.icon} ${styles.noEntry}`} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" />
      <path d="M4.6 8h6.8" />
    </svg>
  );
}

/**
 * "denied" with the no-entry sign, so a refusal never depends on colour alone; `children` replaces the word
 * ("audit: would deny"), `title` says why.
 */
export function DeniedBadge({ children = 'denied', title, tone = 'denied' }: { children?: ReactNode; title?: string; tone?: 'denied' | 'audit' }) {
  return (
    <span className={`${styles.badge} ${tone === 'audit' ? styles.audit : styles.denied}`} title={title}>
      <NoEntryIcon /> {children}
    </span>
  );
}
