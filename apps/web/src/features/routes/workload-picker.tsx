'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import styles from '../../components/namespace-select/namespace-select.module.css';
import { sortRows } from '../../lib/namespaces';
import type { ViewParams } from '../../lib/view-params';
import { TestIds } from '../../testids';
import { workloadStatsQuery } from '../workloads/queries';

interface Props {
  namespace: string;
  workload: string;
  view: ViewParams;
  onChange: (namespace: string, workload: string) => void;
}

const SEPARATOR = '/';

/** Chooses whose routes the page shows, among the deployments Prometheus knows. */
export function WorkloadPicker({ namespace, workload, view, onChange }: Props) {
  const id = useId();
  const stats = useQuery(workloadStatsQuery('all', view));
  const options = sortRows(stats.data?.rows ?? []).map((row) => `${row.namespace}${SEPARATOR}${row.name}`);
  const value = namespace && workload ? `${namespace}${SEPARATOR}${workload}` : '';
  if (value && !options.includes(value)) options.unshift(value);
  return (
    <div className={styles.filter}>
      <label htmlFor={id}>Workload</label>
      <select
        id={id}
        className={styles.select}
        value={value}
        onChange={(event) => {
          const [ns = '', name = ''] = event.target.value.split(SEPARATOR);
          if (ns && name) onChange(ns, name);
        }}
        data-testid={TestIds.workloadPicker}
      >
        {value === '' ? <option value="">Choose a workload…</option> : null}
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}
