'use client';

import type { StatsRow } from '@meshviz/mesh-types';
import { useQuery } from '@tanstack/react-query';
import { namespaceOptions } from '../../lib/namespaces';
import type { ViewParams } from '../../lib/view-params';
import { namespaceStatsQuery } from './queries';

/** Namespaces for a selector: those Prometheus knows, those in rows already on screen, and the selected one. */
export function useNamespaceOptions(view: ViewParams, selected: string, rows?: readonly StatsRow[]): string[] {
  const namespaces = useQuery(namespaceStatsQuery(view));
  return namespaceOptions([namespaces.data?.rows, rows], selected);
}
