import type { CheckItem } from '@meshviz/mesh-types';
import page from '../../components/layout/page.module.css';
import { RowAttrs, TestIds } from '../../testids';
import styles from './check.module.css';
import { StatusIcon } from './status-icon';

/** Each check: what was checked, how it went, and what to do when it did not go well. */
export function ChecksList({ checks }: { checks: readonly CheckItem[] }) {
  return (
    <ul className={`${page.card} ${styles.checks}`}>
      {checks.map((check) => (
        <li key={check.id} className={styles.check} data-testid={TestIds.checkItem} {...{ [RowAttrs.checkId]: check.id, [RowAttrs.status]: check.status }}>
          <StatusIcon status={check.status} />
          <div>
            <p className={styles.description}>{check.description}</p>
            <p className={styles.detail}>{check.detail}</p>
            {check.hint ? (
              <p className={styles.hint}>
                <strong>Hint:</strong> {check.hint}
              </p>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
