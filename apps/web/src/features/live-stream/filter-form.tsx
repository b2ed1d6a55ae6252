'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { NamespaceSelect } from '../../components/namespace-select/namespace-select';
import { ALL_NAMESPACES } from '../../lib/namespaces';
import { useUrlText, useViewParams } from '../../lib/use-view-params';
import { RowAttrs, TestIds } from '../../testids';
import { workloadStatsQuery } from '../stats/queries';
import { useNamespaceOptions } from '../stats/use-namespace-options';
import styles from './live-stream.module.css';
import {
  DEFAULT_MAX_RPS,
  DIRECTION_OPTIONS,
  type FilterProblems,
  filterUpdates,
  METHOD_OPTIONS,
  SCHEME_OPTIONS,
  type TapFilterKey,
  type TapFilters,
} from './stream-filters';

interface Props {
  filters: TapFilters;
  problems: FilterProblems;
  /** What the form is for, as its accessible name ("Tap filters"). */
  label: string;
}

/**
 * What Tap and Top listen to. Every field writes to the URL (text after a pause in typing), so a filtered view
 * can be bookmarked; problems are those of the API's own schema, shown beside the field before anything is sent.
 */
export function FilterForm({ filters, problems, label }: Props) {
  const { view, setParams } = useViewParams();
  const ids = { workloads: useId(), toWorkloads: useId(), namespaces: useId(), nsProblem: useId() };
  const namespaces = useNamespaceOptions(view, filters.namespace || ALL_NAMESPACES);
  const workloads = useQuery(workloadStatsQuery(ALL_NAMESPACES, view)).data?.rows ?? [];
  const namesIn = (namespace: string) =>
    [...new Set(workloads.filter((row) => namespace === '' || row.namespace === namespace).map((row) => row.name))].sort();
  const choose = (key: TapFilterKey, value: string) => setParams(filterUpdates({ [key]: value }), { replace: true });

  return (
    <fieldset className={styles.filters} data-testid={TestIds.tapFilters}>
      <legend className="visually-hidden">{label}</legend>
      <div className={styles.field} {...{ [RowAttrs.filter]: 'namespace' }}>
        <NamespaceSelect
          value={filters.namespace}
          options={namespaces}
          onChange={(namespace) => setParams(filterUpdates({ namespace }))}
          allowAll={false}
          placeholder="Choose one…"
          describedBy={problems.namespace ? ids.nsProblem : undefined}
          invalid={problems.namespace !== undefined}
        />
        <Problem id={ids.nsProblem} text={problems.namespace} />
      </div>
      <FilterText name="workload" label="Workload" placeholder="any" list={ids.workloads} problem={problems.workload} />
      <FilterText name="pod" label="Pod" placeholder="any" problem={problems.pod} />
      <FilterSelect name="direction" label="Direction" value={filters.direction} options={DIRECTION_OPTIONS} onChange={choose} problem={problems.direction} />
      <FilterText name="to_namespace" label="To namespace" placeholder="any" list={ids.namespaces} problem={problems.to_namespace} />
      <FilterText name="to_workload" label="To workload" placeholder="any" list={ids.toWorkloads} problem={problems.to_workload} />
      <FilterSelect name="method" label="Method" value={filters.method} options={METHOD_OPTIONS} onChange={choose} problem={problems.method} />
      <FilterText name="path" label="Path prefix" placeholder="/" problem={problems.path} />
      <FilterText name="authority" label="Authority" placeholder="host or host:port" problem={problems.authority} />
      <FilterSelect name="scheme" label="Scheme" value={filters.scheme} options={SCHEME_OPTIONS} onChange={choose} problem={problems.scheme} />
      <FilterText name="max_rps" label="Max rps" placeholder={String(DEFAULT_MAX_RPS)} inputMode="numeric" problem={problems.max_rps} />
      <datalist id={ids.workloads}>
        {namesIn(filters.namespace).map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <datalist id={ids.toWorkloads}>
        {namesIn(filters.to_namespace).map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <datalist id={ids.namespaces}>
        {namespaces.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </fieldset>
  );
}

function Problem({ id, text }: { id: string; text: string | undefined }) {
  if (text === undefined) return null;
  return (
    <p id={id} className={styles.problem} data-testid={TestIds.tapFilterProblem}>
      {text}
    </p>
  );
}

interface TextProps {
  name: TapFilterKey;
  label: string;
  placeholder: string;
  problem: string | undefined;
  list?: string;
  inputMode?: 'numeric';
}

function FilterText({ name, label, placeholder, problem, list, inputMode }: TextProps) {
  const [text, setText] = useUrlText(name);
  const ids = { input: useId(), problem: useId() };
  return (
    <div className={styles.field} {...{ [RowAttrs.filter]: name }}>
      <label htmlFor={ids.input}>{label}</label>
      <input
        id={ids.input}
        className={styles.input}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={placeholder}
        list={list}
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? ids.problem : undefined}
        data-testid={TestIds.tapFilter}
      />
      <Problem id={ids.problem} text={problem} />
    </div>
  );
}

interface SelectProps {
  name: TapFilterKey;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (name: TapFilterKey, value: string) => void;
  problem: string | undefined;
}

function FilterSelect({ name, label, value, options, onChange, problem }: SelectProps) {
  const ids = { select: useId(), problem: useId() };
  // A value from a hand-edited URL that is not an option still shows, with its problem beside it.
  const shown = value !== '' && !options.includes(value) ? [value, ...options] : options;
  return (
    <div className={styles.field} {...{ [RowAttrs.filter]: name }}>
      <label htmlFor={ids.select}>{label}</label>
      <select
        id={ids.select}
        className={styles.input}
        value={value}
        onChange={(e) => onChange(name, e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? ids.problem : undefined}
        data-testid={TestIds.tapFilter}
      >
        <option value="">any</option>
        {shown.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
      <Problem id={ids.problem} text={problem} />
    </div>
  );
}
