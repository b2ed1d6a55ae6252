/**
 * Every data-testid the pages render, shared with the browser tests (playwright/ imports `@meshviz/web/testids`).
 * Keep this file free of imports so any tool can load it.
 */
export const TestIds = {
  appHeader: 'app-header',
  navOverview: 'nav-overview',
  navWorkloads: 'nav-workloads',
  navTopology: 'nav-topology',
  navRoutes: 'nav-routes',
  navCheck: 'nav-check',
  navTap: 'nav-tap',
  navTop: 'nav-top',
  navRollouts: 'nav-rollouts',
  windowSelect: 'window-select',
  rangeSelect: 'range-select',
  refreshSelect: 'refresh-select',
  customRangeFrom: 'custom-range-from',
  customRangeTo: 'custom-range-to',
  customRangeApply: 'custom-range-apply',
  themeToggle: 'theme-toggle',
  apiErrorBanner: 'api-error-banner',
  // The page frame's Prometheus outage banner, and the notice once it answers again
  metricsOutageBanner: 'metrics-outage-banner',
  metricsOutageDetail: 'metrics-outage-detail',
  metricsRecovered: 'metrics-recovered',
  namespaceSelect: 'namespace-select',
  pageSkeleton: 'page-skeleton',
  // Golden metric cells of any table (workloads keep their own ids below).
  metricSuccessRate: 'metric-success-rate',
  metricRps: 'metric-rps',
  metricP50: 'metric-p50',
  metricP95: 'metric-p95',
  metricP99: 'metric-p99',
  // Overview
  overviewSummary: 'overview-summary',
  namespacesTable: 'namespaces-table',
  namespaceRow: 'namespace-row',
  namespacesEmpty: 'namespaces-empty',
  // Workloads
  workloadsSkeleton: 'workloads-skeleton',
  workloadsEmpty: 'workloads-empty',
  workloadsTable: 'workloads-table',
  workloadsUpdatedAt: 'workloads-updated-at',
  workloadRow: 'workload-row',
  workloadLink: 'workload-link',
  workloadMeshedPods: 'workload-meshed-pods',
  workloadSuccessRate: 'workload-success-rate',
  workloadRps: 'workload-rps',
  workloadP50: 'workload-p50',
  workloadP95: 'workload-p95',
  workloadP99: 'workload-p99',
  // Workload detail
  detailHeader: 'detail-header',
  detailStat: 'detail-stat',
  detailNotFound: 'detail-not-found',
  neighbourGraph: 'neighbour-graph',
  upstreamsTable: 'upstreams-table',
  downstreamsTable: 'downstreams-table',
  neighbourRow: 'neighbour-row',
  neighboursEmpty: 'neighbours-empty',
  podsTable: 'pods-table',
  podRow: 'pod-row',
  podIdentity: 'pod-identity',
  // Workload detail: authorization (policy decisions of the workload's proxies)
  authzSection: 'authz-section',
  authzTable: 'authz-table',
  authzRow: 'authz-row',
  authzEmpty: 'authz-empty',
  authzError: 'authz-error',
  authzDenials: 'authz-denials',
  authzDenialRow: 'authz-denial-row',
  authzDenialsEmpty: 'authz-denials-empty',
  authzUnauthorized: 'authz-unauthorized',
  // Service detail (callers reuse the neighbour table and rows above)
  serviceHeader: 'service-header',
  serviceStat: 'service-stat',
  serviceNotFound: 'service-not-found',
  serviceEmpty: 'service-empty',
  backendsTable: 'backends-table',
  backendRow: 'backend-row',
  backendTapLink: 'backend-tap-link',
  backendRoutesLink: 'backend-routes-link',
  serviceLink: 'service-link',
  serviceRoutesLink: 'service-routes-link',
  // Service detail: traffic split, endpoints, and why the configured policy is unknown
  serviceSplit: 'service-split',
  splitRoute: 'split-route',
  splitRow: 'split-row',
  splitEmpty: 'split-empty',
  serviceEndpoints: 'service-endpoints',
  endpointRow: 'endpoint-row',
  endpointTrip: 'endpoint-trip',
  serviceAccrual: 'service-accrual',
  configuredUnknown: 'configured-unknown',
  // Charts
  goldenCharts: 'golden-charts',
  chart: 'chart',
  chartLegendItem: 'chart-legend-item',
  chartEmpty: 'chart-empty',
  sparkline: 'sparkline',
  // Topology
  topologyGraph: 'topology-graph',
  topologyLegend: 'topology-legend',
  topologyFind: 'topology-find',
  topologyHide: 'topology-hide',
  topologyMatch: 'topology-match',
  topologyPanel: 'topology-panel',
  topologyPanelLink: 'topology-panel-link',
  topologyPanelServiceLink: 'topology-panel-service-link',
  topologyPanelIdentities: 'topology-panel-identities',
  topologyPanelDenied: 'topology-panel-denied',
  topologyPanelSplit: 'topology-panel-split',
  topologyEmpty: 'topology-empty',
  // Routes
  routesPicker: 'routes-picker',
  routesTable: 'routes-table',
  routeRow: 'route-row',
  routeLink: 'route-link',
  routesEmpty: 'routes-empty',
  routesInvalid: 'routes-invalid',
  routeCharts: 'route-charts',
  // Routes of a service: configured policy (timeout, retry) and what retries and timeouts did
  routeTimeout: 'route-timeout',
  routeRetry: 'route-retry',
  routeRetries: 'route-retries',
  routeTimeouts: 'route-timeouts',
  // Check
  rollout: 'rollout',
  rolloutPhase: 'rollout-phase',
  rolloutWeights: 'rollout-weights',
  rolloutEvent: 'rollout-event',
  rolloutsEmpty: 'rollouts-empty',
  rolloutsErrors: 'rollouts-errors',
  checkOverall: 'check-overall',
  checkItem: 'check-item',
  targetsTable: 'targets-table',
  targetRow: 'target-row',
  // Tap token (Tap, Top, live calls)
  tapTokenForm: 'tap-token-form',
  tapTokenInput: 'tap-token-input',
  tapTokenSubmit: 'tap-token-submit',
  tapTokenForget: 'tap-token-forget',
  // Tap and Top filters and controls (a filter field carries data-filter with its parameter's name)
  tapFilters: 'tap-filters',
  tapFilter: 'tap-filter',
  tapFilterProblem: 'tap-filter-problem',
  streamStart: 'stream-start',
  streamStop: 'stream-stop',
  streamReconnect: 'stream-reconnect',
  streamStatus: 'stream-status',
  // Tap
  tapPause: 'tap-pause',
  tapExport: 'tap-export',
  tapCount: 'tap-count',
  tapTable: 'tap-table',
  tapRow: 'tap-row',
  tapEmpty: 'tap-empty',
  tapEvicted: 'tap-evicted',
  tapPanel: 'tap-panel',
  tapPanelClose: 'tap-panel-close',
  tapPanelTls: 'tap-panel-tls',
  tapPanelAuthz: 'tap-panel-authz',
  tapPanelAuthzReason: 'tap-panel-authz-reason',
  tapDenied: 'tap-denied',
  tapPart: 'tap-part',
  tapHeader: 'tap-header',
  // Top
  topTable: 'top-table',
  topRow: 'top-row',
  topEmpty: 'top-empty',
  topSort: 'top-sort',
  // Workload detail: live calls
  liveCalls: 'live-calls',
  liveCallsTapLink: 'live-calls-tap-link',
} as const;

export type TestId = (typeof TestIds)[keyof typeof TestIds];

/** Data attributes on each workload row, so tests can find a row and read raw values without parsing text. */
export const WorkloadRowAttrs = {
  namespace: 'data-namespace',
  workload: 'data-workload',
  /** The raw rps number, or "" when there was no traffic (null). */
  rps: 'data-rps',
} as const;

/** Data attributes of the other pages' rows and items (raw values, "" for null). */
export const RowAttrs = {
  namespace: 'data-namespace',
  name: 'data-name',
  rps: 'data-rps',
  /** The raw success rate 0..1 on route rows, "" when there was no traffic. */
  successRate: 'data-success-rate',
  /** upstream or downstream, on neighbour rows; inbound or outbound (whose proxies measured it), on route rows. */
  direction: 'data-direction',
  secured: 'data-secured',
  /** The route's name on route rows ("" for unmatched traffic). */
  route: 'data-route',
  /** ok, warn or fail on check items; up, down or unknown on targets. */
  status: 'data-status',
  checkId: 'data-check-id',
  /** A rollout's phase (running, promoted, rolled-back, …) on rollout cards. */
  phase: 'data-phase',
  /** Series key of a chart legend item, and whether it is shown. */
  series: 'data-series',
  /** The chart's name on chart figures (success, rps, latency). */
  chart: 'data-chart',
  /** Number of points that hold a value, on chart figures. */
  points: 'data-points',
  /** A tap/top filter field's parameter name (namespace, workload, path, max_rps, …). */
  filter: 'data-filter',
  /** Tap rows: the request's id, its outcome (pending, success, failure) and its number of parts received. */
  requestId: 'data-request-id',
  outcome: 'data-outcome',
  parts: 'data-parts',
  /** Tap detail parts: requestInit, responseInit or responseEnd. */
  part: 'data-part',
  /** Tap counts: which count, and its raw value. */
  count: 'data-count',
  value: 'data-value',
  /** Top rows: raw request count, source and destination; the stream status: idle, connecting, live, stopped, ended, failed. */
  requests: 'data-requests',
  source: 'data-source',
  destination: 'data-destination',
  streamStatus: 'data-stream-status',
  /** Top sort buttons: the column's key, and the sort order on the active one. */
  sortKey: 'data-sort-key',
  /** The node id a neighbourhood graph highlights: the workload's or the service's own, on their pages. */
  focus: 'data-focus',
  /** Backend rows of a service: the raw share (0..1) of the service's requests, "" for null. */
  share: 'data-share',
  /** Split rows and endpoint rows: the backend Service ("<namespace>/<name>"). */
  backend: 'data-backend',
  /** Split rows: the configured weight, its share of the route's weights and the measured share (raw, "" for null). */
  weight: 'data-weight',
  configuredShare: 'data-configured-share',
  measuredShare: 'data-measured-share',
  /** Endpoint rows: ready and pending endpoints (raw, "" for null); trips in the window on an endpoint's item. */
  ready: 'data-ready',
  pending: 'data-pending',
  trips: 'data-trips',
  pod: 'data-pod',
  /** Route rows of a service: raw retry and timed-out rates ("" for null), and the configured timeout in ms. */
  retries: 'data-retries',
  timeouts: 'data-timeouts',
  timeoutMs: 'data-timeout-ms',
  retryLimit: 'data-retry-limit',
  /**
   * Authorization rows: the server and authorization as the table names them ("" on rows of denied traffic), and
   * the raw denied rate; denial rows: the client's identity ("" without mTLS). Tap rows: "true" when policy refused
   * the request.
   */
  server: 'data-server',
  authorization: 'data-authorization',
  deniedRps: 'data-denied-rps',
  clientId: 'data-client-id',
  denied: 'data-denied',
} as const;
