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
  /** Without "All namespaces": what the select says while none is chosen (value ""). */
  placeholder?: string;
  /** Ties the select to a description or problem text. */
  describedBy?: string;
  invalid?: boolean;
}

export function NamespaceSelect({ value, options, onChange, allowAll = true, placeholder, describedBy, invalid }: Props) {
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
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
      >
        {allowAll ? <option value={ALL_NAMESPACES}>All namespaces</option> : null}
        {!allowAll && value === '' && placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((namespace) => (
          <option key={namespace} value={namespace}>
            {namespace}
          </option>
        ))}
      </select>
    </div>
  );
}
