'use client';

import { useCallback, useMemo } from 'react';
import { useViewParams } from '../../lib/use-view-params';
import { HIDDEN_SERIES_PARAM, parseHiddenSeries, toggleHiddenSeries } from './hidden-series';

/** The legend toggles of every chart on the page, from and to the URL. */
export function useHiddenSeries(): [ReadonlySet<string>, (key: string) => void] {
  const { params, setParams } = useViewParams();
  const value = params.get(HIDDEN_SERIES_PARAM);
  const hidden = useMemo(() => parseHiddenSeries(value), [value]);
  const toggle = useCallback(
    (key: string) => setParams({ [HIDDEN_SERIES_PARAM]: toggleHiddenSeries(value, key) }, { replace: true }),
    [value, setParams],
  );
  return [hidden, toggle];
}
