/**
 * Every data-testid the pages render, shared with the browser tests (playwright/ imports `@meshviz/web/testids`).
 * Keep this file free of imports so any tool can load it.
 */
export const TestIds = {
  appHeader: 'app-header',
  navWorkloads: 'nav-workloads',
  apiErrorBanner: 'api-error-banner',
  namespaceSelect: 'namespace-select',
  workloadsSkeleton: 'workloads-skeleton',
  workloadsEmpty: 'workloads-empty',
  workloadsTable: 'workloads-table',
  workloadsUpdatedAt: 'workloads-updated-at',
  workloadRow: 'workload-row',
  workloadMeshedPods: 'workload-meshed-pods',
  workloadSuccessRate: 'workload-success-rate',
  workloadRps: 'workload-rps',
  workloadP50: 'workload-p50',
  workloadP95: 'workload-p95',
  workloadP99: 'workload-p99',
} as const;

export type TestId = (typeof TestIds)[keyof typeof TestIds];

/** Data attributes on each workload row, so tests can find a row and read raw values without parsing text. */
export const WorkloadRowAttrs = {
  namespace: 'data-namespace',
  workload: 'data-workload',
  /** The raw rps number, or "" when there was no traffic (null). */
  rps: 'data-rps',
} as const;
