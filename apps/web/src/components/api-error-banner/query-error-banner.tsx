import { isPrometheusOutage } from '../metrics-outage/outage';
import { ApiErrorBanner } from './api-error-banner';

interface QueryState {
  error: Error | null;
  data: unknown;
  dataUpdatedAt: number;
}

/**
 * The first failing query of a page in the banner; its last good data (if any) stays on screen below. Prometheus
 * being unreachable is the page frame's banner's to say.
 */
export function QueryErrorBanner({ queries }: { queries: readonly QueryState[] }) {
  const failed = queries.find((query) => query.error !== null && !isPrometheusOutage(query.error));
  if (!failed?.error) return null;
  return <ApiErrorBanner error={failed.error} lastGoodAt={failed.data !== undefined ? failed.dataUpdatedAt : undefined} />;
}
