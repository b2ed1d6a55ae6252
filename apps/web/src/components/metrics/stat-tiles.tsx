import type { CSSProperties, ReactNode } from 'react';
import type { SuccessLevel } from '../../lib/format';
import styles from './stat-tiles.module.css';

/** A row of big numbers with their names (a description list, so each number is read with its label). */
export function StatTiles({ children, testId }: { children: ReactNode; testId?: string }) {
  const count = Array.isArray(children) ? children.filter(Boolean).length : 1;
  return (
    <dl className={styles.tiles} style={{ '--tiles': count } as CSSProperties} data-testid={testId}>
      {children}
    </dl>
  );
}

interface TileProps {
  label: string;
  children: ReactNode;
  level?: SuccessLevel;
  testId?: string;
  /** A stable name for tests (data-name). */
  name?: string;
}

export function StatTile({ label, children, level, testId, name }: TileProps) {
  return (
    <div className={styles.tile} data-level={level} data-testid={testId} data-name={name}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
