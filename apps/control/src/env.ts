import type { EnvName, EnvValues } from '@meshviz/runtime/env';

/**
 * The control plane's variables, exported so launchers (`meshviz up`, manifests' generators) build a child's
 * environment from the same names config.ts reads (its schema is checked against them). This module imports
 * nothing, so a launcher takes it (`@meshviz/control/env`) without the control plane's server code.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | CONTROL_SERVICES | identity, and each other service configured below | comma-separated services this process runs: `identity`, `policy`, `destination`, `injector`; a listed service without its settings, or settings of a service not listed, is refused |
 * | CONTROL_IDENTITY_LISTEN_ADDR | 0.0.0.0:8080 | host:port of the identity service (HTTPS, TLS 1.3); port 0 picks a free one |
 * | CONTROL_ADMIN_LISTEN_ADDR | 0.0.0.0:9990 | host:port of /live, /ready and /metrics (plain HTTP) |
 * | CONTROL_TRUST_DOMAIN | cluster.local | trust domain of every identity this control plane certifies |
 * | CONTROL_IDENTITY_DIR | required with identity | trust directory: ca.crt, issuer.crt and issuer.key (never ca.key); polled for changes |
 * | CONTROL_IDENTITY_POLL_INTERVAL | 2s | how often the trust files (or CONTROL_TRUST_ANCHORS_FILE) are checked for changes |
 * | CONTROL_IDENTITY_LEAF_LIFETIME | 24h | lifetime of issued leaves |
 * | CONTROL_IDENTITY_CLOCK_SKEW | 20s | how far before now a leaf's notBefore is set |
 * | CONTROL_IDENTITY_TOKEN_VALIDATOR | local | `local` (workload tokens signed with a key file) or `kubernetes` (TokenReview) |
 * | CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE | required for `local` | the key local workload tokens are signed with (at least 32 bytes) |
 * | CONTROL_IDENTITY_SVC_ADDR | required for policy/destination without identity | host:port of the identity service their serving certificate is certified by (it must present identity.meshviz-system…) |
 * | CONTROL_IDENTITY_TOKEN_FILE | required for policy/destination without identity | the projected service-account token (audience identity.meshviz.io) sent with the CSR; re-read at every renewal |
 * | CONTROL_TRUST_ANCHORS_FILE | required without identity (the injector: unless CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP) | PEM bundle of the trust anchors: the identity service and clients are checked against it, the injector writes it into pods; polled for changes |
 * | CONTROL_KUBERNETES_API_URL | https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT | the Kubernetes API, for `kubernetes` |
 * | CONTROL_KUBERNETES_TOKEN_FILE | /var/run/secrets/kubernetes.io/serviceaccount/token | the control plane's own token, sent as bearer |
 * | CONTROL_KUBERNETES_CA_FILE | /var/run/secrets/kubernetes.io/serviceaccount/ca.crt | CA bundle the API server's certificate is checked against |
 * | CONTROL_POLICY_LISTEN_ADDR | 0.0.0.0:8090 | host:port of the policy service (HTTPS, mutual TLS 1.3) |
 * | CONTROL_POLICY_WORKLOADS_FILE | — | the workloads to compile policies for (JSON, written by `meshviz up`); unset: no policy service |
 * | CONTROL_POLICY_DIR | — | directory of policy resources (YAML), outbound routes and Service documents included; watched by both streaming services |
 * | CONTROL_POLICY_POLL_INTERVAL | 2s | fallback poll of the policy directory and the files (changes are also notified at once) |
 * | CONTROL_DESTINATION_LISTEN_ADDR | 0.0.0.0:8086 | host:port of the destination service (HTTPS, mutual TLS 1.3) |
 * | CONTROL_DESTINATION_PUBLISH_FILE | — | where to also write the compiled table after every applied change (for the API); unset: not written |
 * | CONTROL_DESTINATION_BASE_FILE | — | the discovery table of services and endpoints (DestinationsFile JSON, written by `meshviz up`); watched; unset: no destination service |
 * | CONTROL_SOURCE | local | where destination and policy read the mesh: `local` (the files above) or `kubernetes` (list/watch of Services, EndpointSlices, pods, policy CRDs and Gateway API routes) |
 * | CONTROL_CLUSTER_NETWORKS | the private ranges | with `kubernetes`: comma-separated CIDRs the `cluster-*` default policies call the cluster |
 * | CONTROL_INJECTOR_LISTEN_ADDR | — | host:port of the proxy injector webhook (HTTPS, POST /inject); unset: no injector |
 * | CONTROL_INJECTOR_TLS_CERT_FILE, CONTROL_INJECTOR_TLS_KEY_FILE | required with the injector | the webhook's serving certificate (PEM) and key; re-read every 30 s |
 * | CONTROL_INJECTOR_PROXY_IMAGE | required with the injector | the proxy image injected as the native sidecar |
 * | CONTROL_INJECTOR_INIT_IMAGE | the proxy image | the image of the iptables init step (runs `meshviz-proxy-init`) |
 * | CONTROL_INJECTOR_PROXY_VERSION | the proxy image's tag | the `meshviz.io/proxy-version` label of injected pods |
 * | CONTROL_INJECTOR_IDENTITY_ADDR | identity.meshviz-system.svc.cluster.local:8080 | the identity service, as injected proxies reach it |
 * | CONTROL_INJECTOR_DESTINATION_ADDR | destination.meshviz-system.svc.cluster.local:8086 | the destination service, as injected proxies reach it |
 * | CONTROL_INJECTOR_POLICY_ADDR | policy.meshviz-system.svc.cluster.local:8090 | the policy service, as injected proxies reach it |
 * | CONTROL_INJECTOR_POLICY_SERVICE_ACCOUNT | destination | the service account of the pods serving policy: injected proxies check the policy service presents `<it>.meshviz-system…` (it runs in the destination pods) |
 * | CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP | — | a ConfigMap in every meshed namespace (key `ca-bundle.crt`) mounted as the proxy's trust anchors; unset: the loaded anchors are written into the proxy's environment |
 * | CONTROL_INJECTOR_DEFAULT_INBOUND_POLICY | all-unauthenticated | injected proxies' default inbound policy unless `config.meshviz.io/default-inbound-policy` says otherwise |
 * | CONTROL_INJECTOR_PROXY_TAP_TOKEN | — | the token injected proxies' tap servers accept (PROXY_TAP_TOKEN; the API's API_PROXY_TAP_TOKEN); unset: tap refused |
 * | CONTROL_INJECTOR_PROXY_LOG_LEVEL | info | injected proxies' log level unless `config.meshviz.io/proxy-log-level` says otherwise |
 * | CONTROL_LOG_LEVEL | info | pino level |
 * | CONTROL_PARENT_PID | — | exit when this process is gone (used by `meshviz up`) |
 */
export const CONTROL_ENV = {
  services: 'CONTROL_SERVICES',
  identityListenAddr: 'CONTROL_IDENTITY_LISTEN_ADDR',
  adminListenAddr: 'CONTROL_ADMIN_LISTEN_ADDR',
  trustDomain: 'CONTROL_TRUST_DOMAIN',
  identityDir: 'CONTROL_IDENTITY_DIR',
  identityPollInterval: 'CONTROL_IDENTITY_POLL_INTERVAL',
  leafLifetime: 'CONTROL_IDENTITY_LEAF_LIFETIME',
  clockSkew: 'CONTROL_IDENTITY_CLOCK_SKEW',
  tokenValidator: 'CONTROL_IDENTITY_TOKEN_VALIDATOR',
  localTokenKeyFile: 'CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE',
  identitySvcAddr: 'CONTROL_IDENTITY_SVC_ADDR',
  identityTokenFile: 'CONTROL_IDENTITY_TOKEN_FILE',
  trustAnchorsFile: 'CONTROL_TRUST_ANCHORS_FILE',
  kubernetesApiUrl: 'CONTROL_KUBERNETES_API_URL',
  kubernetesTokenFile: 'CONTROL_KUBERNETES_TOKEN_FILE',
  kubernetesCaFile: 'CONTROL_KUBERNETES_CA_FILE',
  policyListenAddr: 'CONTROL_POLICY_LISTEN_ADDR',
  policyWorkloadsFile: 'CONTROL_POLICY_WORKLOADS_FILE',
  policyDir: 'CONTROL_POLICY_DIR',
  policyPollInterval: 'CONTROL_POLICY_POLL_INTERVAL',
  destinationListenAddr: 'CONTROL_DESTINATION_LISTEN_ADDR',
  destinationBaseFile: 'CONTROL_DESTINATION_BASE_FILE',
  destinationPublishFile: 'CONTROL_DESTINATION_PUBLISH_FILE',
  source: 'CONTROL_SOURCE',
  clusterNetworks: 'CONTROL_CLUSTER_NETWORKS',
  injectorListenAddr: 'CONTROL_INJECTOR_LISTEN_ADDR',
  injectorCertFile: 'CONTROL_INJECTOR_TLS_CERT_FILE',
  injectorKeyFile: 'CONTROL_INJECTOR_TLS_KEY_FILE',
  injectorProxyImage: 'CONTROL_INJECTOR_PROXY_IMAGE',
  injectorInitImage: 'CONTROL_INJECTOR_INIT_IMAGE',
  injectorProxyVersion: 'CONTROL_INJECTOR_PROXY_VERSION',
  injectorIdentityAddr: 'CONTROL_INJECTOR_IDENTITY_ADDR',
  injectorDestinationAddr: 'CONTROL_INJECTOR_DESTINATION_ADDR',
  injectorPolicyAddr: 'CONTROL_INJECTOR_POLICY_ADDR',
  injectorPolicyServiceAccount: 'CONTROL_INJECTOR_POLICY_SERVICE_ACCOUNT',
  injectorTrustAnchorsConfigMap: 'CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP',
  injectorDefaultInboundPolicy: 'CONTROL_INJECTOR_DEFAULT_INBOUND_POLICY',
  injectorProxyLogLevel: 'CONTROL_INJECTOR_PROXY_LOG_LEVEL',
  injectorProxyTapToken: 'CONTROL_INJECTOR_PROXY_TAP_TOKEN',
  logLevel: 'CONTROL_LOG_LEVEL',
  parentPid: 'CONTROL_PARENT_PID',
} as const;

export type ControlEnvName = EnvName<typeof CONTROL_ENV>;
/** What a launcher hands the control plane. */
export type ControlEnv = EnvValues<typeof CONTROL_ENV>;
