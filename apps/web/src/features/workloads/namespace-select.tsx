import { useId } from 'react';
import { TestIds } from '../../testids';
import { ALL_NAMESPACES } from './namespaces';
import styles from './workloads.module.css';

interface Props {
  value: string;
  options: readonly string[];
  onChange: (namespace: string) => void;
}

export function NamespaceSelect({ value, options, onChange }: Props) {
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
        <option value={ALL_NAMESPACES}>All namespaces</option>
        {options.map((namespace) => (
          <option key={namespace} value={namespace}>
            {namespace}
          </option>
        ))}
      </select>
    </div>
  );
}
