'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import styles from '../../components/namespace-select/namespace-select.module.css';
import type { RoutesSubject, ViewParams } from '../../lib/view-params';
import { TestIds } from '../../testids';
import { statsQuery, workloadStatsQuery } from '../stats/queries';
import { subjectGroups, subjectOfValue, subjectValue } from './subject-options';

interface Props {
  /** The workload or service shown, or null when none (or an invalid one) is. */
  subject: RoutesSubject | null;
  view: ViewParams;
  onChange: (subject: RoutesSubject) => void;
}

/** Chooses whose routes the page shows, among the deployments and the services Prometheus knows. */
export function SubjectPicker({ subject, view, onChange }: Props) {
  const id = useId();
  const workloads = useQuery(workloadStatsQuery('all', view));
  const services = useQuery(statsQuery('service', 'all', view));
  const groups = subjectGroups(workloads.data?.rows, services.data?.rows, subject);
  const value = subjectValue(subject);
  return (
    <div className={styles.filter}>
      <label htmlFor={id}>Workload or service</label>
      <select
        id={id}
        className={styles.select}
        value={value}
        onChange={(event) => {
          const next = subjectOfValue(event.target.value);
          if (next) onChange(next);
        }}
        data-testid={TestIds.routesPicker}
      >
        {value === '' ? <option value="">Choose a workload or service…</option> : null}
        {groups.map((group) => (
          <optgroup key={group.kind} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
