import { useId } from 'react';
import { ALL_NAMESPACES } from '../../lib/namespaces';
import { TestIds } from '../../testids';
import styles from './namespace-select.module.css';

interface Props {
  value: string;
  options: readonly string[];
  onChange: (namespace: string) => void;
  /** Offer "All namespaces" (pages that can show everything at once). */
  allowAll?: boolean;
}

export function NamespaceSelect({ value, options, onChange, allowAll = true }: Props) {
  const id = useId();
  return (
    <div className={styles.filter}>
      <label htmlFor={id}>Namespace</label>
      <select
        id={id}
        className={styles.select}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={TestIds.namespaceSelect}
      >
        {allowAll ? <option value={ALL_NAMESPACES}>All namespaces</option> : null}
        {options.map((namespace) => (
          <option key={namespace} value={namespace}>
            {namespace}
          </option>
        ))}
      </select>
    </div>
  );
}
