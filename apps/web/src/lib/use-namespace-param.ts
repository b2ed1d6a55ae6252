'use client';

import { useCallback } from 'react';
import { ALL_NAMESPACES, namespaceFromParams } from './namespaces';
import { useViewParams } from './use-view-params';

/** The selected namespace lives in the URL (?namespace=…; absent means all), beside the shared view state. */
export function useNamespaceParam(): [string, (namespace: string) => void] {
  const { params, setParams } = useViewParams();
  const namespace = namespaceFromParams(params);
  const setNamespace = useCallback(
    (next: string) => setParams({ namespace: next === ALL_NAMESPACES ? null : next }),
    [setParams],
  );
  return [namespace, setNamespace];
}
