/** Series the user switched off, kept in the URL as `off=p50,p95` so a view with fewer lines can be shared. */
export const HIDDEN_SERIES_PARAM = 'off';

export function parseHiddenSeries(value: string | null): Set<string> {
  return new Set((value ?? '').split(',').filter((key) => key !== ''));
}

/** The parameter's next value after toggling one series; null when nothing is hidden any more. */
export function toggleHiddenSeries(value: string | null, key: string): string | null {
  const hidden = parseHiddenSeries(value);
  if (hidden.has(key)) hidden.delete(key);
  else hidden.add(key);
  return hidden.size === 0 ? null : [...hidden].sort().join(',');
}
