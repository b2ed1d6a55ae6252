import type { EnvName, EnvValues } from '@meshviz/runtime/env';

/**
 * The API's variables by name: config.ts parses exactly these once from the environment (its schema is checked
 * against them; nothing else reads process.env), and launchers (`meshviz up`) build the API's environment from
 * them, so a renamed variable is a type error where it is set. This module imports nothing at run time, so a launcher takes it
 * (`@meshviz/api/env`) without the API's server code.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | API_LISTEN_ADDR | 127.0.0.1:8085 | host:port the API listens on (port 0 picks a free one) |
 * | API_PROMETHEUS_URL | http://127.0.0.1:9090 | base URL of Prometheus or any Prometheus-compatible query API |
 * | API_PROMETHEUS_TIMEOUT_MS | 10000 | timeout of one PromQL request |
 * | API_LOG_LEVEL | info | pino level |
 * | API_PARENT_PID | — | exit when this process is gone (used by `meshviz up`) |
 * | API_ALLOWED_HOSTS | loopback + in-cluster names | regular expression the Host header must match |
 * | API_PROMETHEUS_BEARER_TOKEN | — | bearer token sent to Prometheus |
 * | API_PROMETHEUS_USERNAME / API_PROMETHEUS_PASSWORD | — | basic auth sent to Prometheus |
 * | API_SCRAPE_INTERVAL | read from Prometheus | scrape interval, for stores that do not expose their config |
 * | API_TAP_TOKEN | — (tap disabled) | bearer token clients must send to tap; a permission apart from reading metrics |
 * | API_PROXY_TAP_TOKEN | — | token the API sends to proxies' tap servers (their PROXY_TAP_TOKEN) |
 * | API_TAP_TARGETS_FILE | — | JSON list of proxies' tap addresses (local runtime); else pods Prometheus scrapes |
 * | API_TAP_SOURCE | file when API_TAP_TARGETS_FILE is set, else prometheus | where tap finds proxies: `file`, `prometheus` (the pods it scrapes) or `kubernetes` (list/watch of pods whose proxy container has a port named `tap`) |
 * | API_KUBERNETES_API_URL | https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT | the Kubernetes API, for API_TAP_SOURCE=kubernetes |
 * | API_KUBERNETES_TOKEN_FILE | /var/run/secrets/kubernetes.io/serviceaccount/token | the API's own service-account token, sent as bearer |
 * | API_KUBERNETES_CA_FILE | /var/run/secrets/kubernetes.io/serviceaccount/ca.crt | CA bundle the API server's certificate is checked against |
 * | API_TAP_PORT | 4190 | tap port of proxies found through Prometheus |
 * | API_IDENTITY_TRUST_ANCHORS_FILE | — (identity not checked) | the mesh's trust anchors (PEM), for `meshviz check` |
 * | API_IDENTITY_ISSUER_CERT_FILE | — | the issuer's certificate (PEM; never its key), checked against the anchors |
 * | API_POD_STATUS_FILE | — (restarts unknown) | the local runtime's pod status (JSON PodStatusFile): restarts per pod, put on pod, workload and namespace rows |
 * | API_RECORDED_WINDOWS | — (raw series only) | comma-separated rate windows (e.g. `1m`) for which the store evaluates meshviz's recording rules (`meshviz-api-rules`); those windows are read from the recorded sums |
 * | API_DESTINATIONS_FILE | — (configured policy unknown) | the discovery table (JSON DestinationsFile) the control plane keeps current: routes' timeouts, retries and split weights; read again when it changes |
 * | API_LIVE_REFRESH_INTERVAL | the scrape interval | how often the current (no `at`) whole-mesh stats and topologies asked for in the last minutes are computed again in the background and shared by every caller (e.g. `5s`); `off`: each call computes its own |
 * | API_ANSWER_WORKER_HEAP_MB | 1024 | heap limit (MB) of the worker thread that computes the stats and topology answers off the API's event loop; `off`: computed on the API's own thread |
 * | API_ROLLOUTS_DIR | — (no rollouts shown) | the mesh's config directory, where `meshviz rollout` records each rollout (`.rollout-<route>.json`); read on every request |
 */
export const API_ENV = {
  listenAddr: 'API_LISTEN_ADDR',
  prometheusUrl: 'API_PROMETHEUS_URL',
  prometheusTimeoutMs: 'API_PROMETHEUS_TIMEOUT_MS',
  logLevel: 'API_LOG_LEVEL',
  parentPid: 'API_PARENT_PID',
  allowedHosts: 'API_ALLOWED_HOSTS',
  prometheusBearerToken: 'API_PROMETHEUS_BEARER_TOKEN',
  prometheusUsername: 'API_PROMETHEUS_USERNAME',
  prometheusPassword: 'API_PROMETHEUS_PASSWORD',
  tapToken: 'API_TAP_TOKEN',
  proxyTapToken: 'API_PROXY_TAP_TOKEN',
  tapTargetsFile: 'API_TAP_TARGETS_FILE',
  tapPort: 'API_TAP_PORT',
  tapSource: 'API_TAP_SOURCE',
  kubernetesApiUrl: 'API_KUBERNETES_API_URL',
  kubernetesTokenFile: 'API_KUBERNETES_TOKEN_FILE',
  kubernetesCaFile: 'API_KUBERNETES_CA_FILE',
  identityTrustAnchorsFile: 'API_IDENTITY_TRUST_ANCHORS_FILE',
  identityIssuerCertFile: 'API_IDENTITY_ISSUER_CERT_FILE',
  destinationsFile: 'API_DESTINATIONS_FILE',
  rolloutsDir: 'API_ROLLOUTS_DIR',
  podStatusFile: 'API_POD_STATUS_FILE',
  recordedWindows: 'API_RECORDED_WINDOWS',
  scrapeInterval: 'API_SCRAPE_INTERVAL',
  liveRefreshInterval: 'API_LIVE_REFRESH_INTERVAL',
  answerWorkerHeapMb: 'API_ANSWER_WORKER_HEAP_MB',
} as const;

export type ApiEnvName = EnvName<typeof API_ENV>;
/** What a launcher hands the API. */
export type ApiEnv = EnvValues<typeof API_ENV>;
