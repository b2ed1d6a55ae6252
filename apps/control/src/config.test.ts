import { ConfigError } from '@meshviz/runtime';
import { describe, expect, it } from 'vitest';
import { CONTROL_ENV, parseConfig } from './config.js';
import { TEST_SETTINGS } from './testing/injector-settings.js';

const minimal = { CONTROL_IDENTITY_DIR: '/etc/meshviz/identity', CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: '/etc/meshviz/token.key' };

function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('uses the documented defaults', () => {
    expect(parseConfig(minimal)).toEqual({
      identity: {
        listen: { host: '0.0.0.0', port: 8080 },
        trustDomain: 'cluster.local',
        dir: '/etc/meshviz/identity',
        pollIntervalMs: 2000,
        leafLifetimeMs: 24 * 3600_000,
        clockSkewMs: 20_000,
        tokenValidator: { kind: 'local', keyFile: '/etc/meshviz/token.key' },
      },
      admin: { listen: { host: '0.0.0.0', port: 9990 } },
      logLevel: 'info',
      parentPid: undefined,
      policy: undefined,
      destination: undefined,
    });
  });

  it('starts the destination service with a discovery table, reading routes from the policy directory', () => {
    const config = parseConfig({
      ...minimal,
      CONTROL_DESTINATION_BASE_FILE: '/run/meshviz/destinations.json',
      CONTROL_POLICY_DIR: '/etc/meshviz/policy',
      CONTROL_POLICY_POLL_INTERVAL: '5s',
    });
    expect(config.destination).toEqual({
      listen: { host: '0.0.0.0', port: 8086 },
      baseFile: '/run/meshviz/destinations.json',
      publishFile: undefined,
      dir: '/etc/meshviz/policy',
      workloadsFile: undefined,
      pollIntervalMs: 5_000,
    });
    // No workloads file: no policy service, but the destination service runs.
    expect(config.policy).toBeUndefined();
    expect(
      parseConfig({ ...minimal, CONTROL_DESTINATION_BASE_FILE: '/d.json', CONTROL_POLICY_WORKLOADS_FILE: '/w.json', CONTROL_DESTINATION_LISTEN_ADDR: '127.0.0.1:0' })
        .destination,
    ).toMatchObject({ listen: { host: '127.0.0.1', port: 0 }, workloadsFile: '/w.json' });
    expect(configError({ ...minimal, CONTROL_DESTINATION_LISTEN_ADDR: '8086' }).variable).toBe(CONTROL_ENV.destinationListenAddr);
    expect(configError({ ...minimal, CONTROL_DESTINATION_BASE_FILE: '' }).variable).toBe(CONTROL_ENV.destinationBaseFile);
  });

  it('reads durations, addresses and the in-cluster Kubernetes API', () => {
    const config = parseConfig({
      CONTROL_IDENTITY_DIR: '/d',
      CONTROL_IDENTITY_LISTEN_ADDR: '[::1]:0',
      CONTROL_IDENTITY_LEAF_LIFETIME: '1h30m',
      CONTROL_IDENTITY_CLOCK_SKEW: '0s',
      CONTROL_IDENTITY_TOKEN_VALIDATOR: 'kubernetes',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    });
    expect(config.identity!.listen).toEqual({ host: '::1', port: 0 });
    expect(config.identity!.leafLifetimeMs).toBe(90 * 60_000);
    expect(config.identity!.clockSkewMs).toBe(0);
    expect(config.identity!.tokenValidator).toEqual({
      kind: 'kubernetes',
      apiUrl: 'https://10.96.0.1:443',
      tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    });
    expect(
      parseConfig({ CONTROL_IDENTITY_DIR: '/d', CONTROL_IDENTITY_TOKEN_VALIDATOR: 'kubernetes', CONTROL_KUBERNETES_API_URL: 'https://api.example:6443/' })
        .identity?.tokenValidator,
    ).toMatchObject({ apiUrl: 'https://api.example:6443' });
  });

  it('names the bad variable', () => {
    expect(configError({ ...minimal, CONTROL_IDENTITY_LISTEN_ADDR: 'everywhere' }).message).toBe(
      'CONTROL_IDENTITY_LISTEN_ADDR: must be host:port, e.g. 0.0.0.0:8080 or [::]:8080 (got "everywhere")',
    );
    expect(configError({ ...minimal, CONTROL_IDENTITY_LEAF_LIFETIME: '1 day' }).variable).toBe(CONTROL_ENV.leafLifetime);
    expect(configError({ ...minimal, CONTROL_IDENTITY_LEAF_LIFETIME: '5s' }).message).toBe('CONTROL_IDENTITY_LEAF_LIFETIME: must be at least 10s (got "5s")');
    expect(configError({ ...minimal, CONTROL_TRUST_DOMAIN: 'Cluster Local' }).variable).toBe(CONTROL_ENV.trustDomain);
    expect(configError({ ...minimal, CONTROL_IDENTITY_TOKEN_VALIDATOR: 'oidc' }).variable).toBe(CONTROL_ENV.tokenValidator);
    expect(configError({ ...minimal, CONTROL_PARENT_PID: 'me' }).variable).toBe(CONTROL_ENV.parentPid);
  });

  it('requires the trust directory, the local key file for local tokens and an API URL outside a pod', () => {
    expect(configError({ CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: '/k' }).message).toBe('CONTROL_IDENTITY_DIR: is required');
    expect(configError({ CONTROL_IDENTITY_DIR: '/d' }).message).toBe(
      'CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: is required when CONTROL_IDENTITY_TOKEN_VALIDATOR is local',
    );
    expect(configError({ CONTROL_IDENTITY_DIR: '/d', CONTROL_IDENTITY_TOKEN_VALIDATOR: 'kubernetes' }).variable).toBe(
      CONTROL_ENV.kubernetesApiUrl,
    );
  });

  it('reads the Kubernetes source and the injector, with the documented defaults', () => {
    const config = parseConfig({
      ...minimal,
      CONTROL_SOURCE: 'kubernetes',
      KUBERNETES_SERVICE_HOST: 'fd00::1',
      KUBERNETES_SERVICE_PORT: '443',
      CONTROL_INJECTOR_LISTEN_ADDR: '0.0.0.0:8443',
      CONTROL_INJECTOR_TLS_CERT_FILE: '/etc/meshviz/injector/tls.crt',
      CONTROL_INJECTOR_TLS_KEY_FILE: '/etc/meshviz/injector/tls.key',
      CONTROL_INJECTOR_PROXY_IMAGE: 'registry.example/meshviz/proxy:0.3.1',
    });
    const api = {
      apiUrl: 'https://[fd00::1]:443',
      tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    };
    expect(config.kubernetes).toEqual({
      api,
      clusterNetworks: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', 'fd00::/8', '::1/128'],
      destination: { listen: { host: '0.0.0.0', port: 8086 }, publishFile: undefined },
      policy: { listen: { host: '0.0.0.0', port: 8090 } },
    });
    expect(config.policy).toBeUndefined();
    expect(config.destination).toBeUndefined();
    expect(config.injector).toEqual({
      api,
      listen: { host: '0.0.0.0', port: 8443 },
      certFile: '/etc/meshviz/injector/tls.crt',
      keyFile: '/etc/meshviz/injector/tls.key',
      // The defaults the injector's tests inject with, but for the image given here.
      settings: {
        ...TEST_SETTINGS,
        proxyImage: 'registry.example/meshviz/proxy:0.3.1',
        initImage: 'registry.example/meshviz/proxy:0.3.1',
        proxyVersion: '0.3.1',
      },
    });
  });

  it('names what the Kubernetes source and the injector are missing or given wrong', () => {
    const injector = { ...minimal, CONTROL_KUBERNETES_API_URL: 'https://api.example:6443', CONTROL_INJECTOR_LISTEN_ADDR: '0.0.0.0:8443' };
    expect(configError(injector).message).toContain('CONTROL_INJECTOR_TLS_CERT_FILE: is required with CONTROL_INJECTOR_LISTEN_ADDR');
    expect(configError(injector).message).toContain('CONTROL_INJECTOR_PROXY_IMAGE: is required with CONTROL_INJECTOR_LISTEN_ADDR');
    const full = { ...injector, CONTROL_INJECTOR_TLS_CERT_FILE: '/c', CONTROL_INJECTOR_TLS_KEY_FILE: '/k', CONTROL_INJECTOR_PROXY_IMAGE: 'meshviz/proxy' };
    expect(parseConfig(full).injector?.settings.proxyVersion).toBe('unknown');
    expect(configError({ ...full, CONTROL_INJECTOR_DEFAULT_INBOUND_POLICY: 'allow' }).variable).toBe(CONTROL_ENV.injectorDefaultInboundPolicy);
    expect(configError({ ...full, CONTROL_INJECTOR_PROXY_IMAGE: 'Not An Image' }).variable).toBe(CONTROL_ENV.injectorProxyImage);
    expect(configError({ ...full, CONTROL_INJECTOR_POLICY_ADDR: 'policy' }).variable).toBe(CONTROL_ENV.injectorPolicyAddr);
    expect(configError({ ...full, CONTROL_INJECTOR_PROXY_TAP_TOKEN: 'short' }).variable).toBe(CONTROL_ENV.injectorProxyTapToken);
    expect(parseConfig({ ...full, CONTROL_INJECTOR_PROXY_TAP_TOKEN: 'a-proxy-tap-token-0123' }).injector?.settings.proxyTapToken).toBe('a-proxy-tap-token-0123');
    expect(configError({ ...minimal, CONTROL_SOURCE: 'kubernetes' }).message).toBe(
      'CONTROL_KUBERNETES_API_URL: is required outside a pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set) for CONTROL_SOURCE=kubernetes',
    );
    const k8s = { ...minimal, CONTROL_SOURCE: 'kubernetes', CONTROL_KUBERNETES_API_URL: 'https://api.example:6443' };
    expect(configError({ ...k8s, CONTROL_DESTINATION_BASE_FILE: '/d.json' }).message).toBe(
      'CONTROL_DESTINATION_BASE_FILE: is a local source; unset it with CONTROL_SOURCE=kubernetes (got "/d.json")',
    );
    expect(configError({ ...k8s, CONTROL_CLUSTER_NETWORKS: '10.0.0.0/8,everything' }).variable).toBe(CONTROL_ENV.clusterNetworks);
    expect(configError({ ...minimal, CONTROL_SOURCE: 'etcd' }).variable).toBe(CONTROL_ENV.source);
  });
});

describe('CONTROL_SERVICES', () => {
  const certifyEnv = {
    CONTROL_IDENTITY_SVC_ADDR: 'identity.meshviz-system.svc.cluster.local:8080',
    CONTROL_IDENTITY_TOKEN_FILE: '/var/run/secrets/meshviz.io/identity/token',
    CONTROL_TRUST_ANCHORS_FILE: '/var/run/meshviz/identity/ca.crt',
  };
  const inCluster = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

  it('unset, runs identity and what is configured, as before', () => {
    const config = parseConfig({ ...minimal, CONTROL_POLICY_WORKLOADS_FILE: '/w.json' });
    expect(config.identity?.dir).toBe('/etc/meshviz/identity');
    expect(config.anchors).toBeUndefined();
    expect(config.policy?.workloadsFile).toBe('/w.json');
    expect(parseConfig({ ...minimal, CONTROL_SERVICES: 'identity' })).toEqual(parseConfig(minimal));
  });

  it('destination and policy without identity: no trust directory, a certificate from the identity service', () => {
    const config = parseConfig({ CONTROL_SERVICES: 'destination, policy', CONTROL_SOURCE: 'kubernetes', ...inCluster, ...certifyEnv });
    expect(config.identity).toBeUndefined();
    expect(config.anchors).toEqual({
      trustDomain: 'cluster.local',
      anchorsFile: '/var/run/meshviz/identity/ca.crt',
      pollIntervalMs: 2_000,
      certify: {
        identityAddr: { host: 'identity.meshviz-system.svc.cluster.local', port: 8080 },
        tokenFile: '/var/run/secrets/meshviz.io/identity/token',
        serviceAccount: 'destination',
      },
    });
    expect(config.kubernetes?.destination?.listen).toEqual({ host: '0.0.0.0', port: 8086 });
    expect(config.kubernetes?.policy?.listen).toEqual({ host: '0.0.0.0', port: 8090 });
    expect(config.injector).toBeUndefined();
    const policyOnly = parseConfig({ CONTROL_SERVICES: 'policy', CONTROL_POLICY_WORKLOADS_FILE: '/w.json', ...certifyEnv });
    expect(policyOnly.anchors?.certify?.serviceAccount).toBe('policy');
    expect(policyOnly.policy?.workloadsFile).toBe('/w.json');
    expect(policyOnly.destination).toBeUndefined();
  });

  it('the injector alone needs the anchors file, or the anchors ConfigMap its proxies mount', () => {
    const injector = {
      CONTROL_SERVICES: 'injector',
      ...inCluster,
      CONTROL_INJECTOR_LISTEN_ADDR: '0.0.0.0:8443',
      CONTROL_INJECTOR_TLS_CERT_FILE: '/c',
      CONTROL_INJECTOR_TLS_KEY_FILE: '/k',
      CONTROL_INJECTOR_PROXY_IMAGE: 'meshviz/proxy:0.1.0',
    };
    expect(configError(injector).message).toBe(
      'CONTROL_TRUST_ANCHORS_FILE: is required: CONTROL_SERVICES is injector: without identity, the injector writes these anchors into pods (or set CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP)',
    );
    const config = parseConfig({ ...injector, CONTROL_TRUST_ANCHORS_FILE: '/a.crt' });
    expect(config.identity).toBeUndefined();
    expect(config.anchors).toEqual({ trustDomain: 'cluster.local', anchorsFile: '/a.crt', pollIntervalMs: 2_000, certify: undefined });
    expect(config.injector?.listen).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(config.kubernetes).toBeUndefined();
    expect(parseConfig({ ...injector, CONTROL_INJECTOR_TRUST_ANCHORS_CONFIGMAP: 'meshviz-identity-trust-anchors' }).anchors?.anchorsFile).toBeUndefined();
  });

  it('names a listed service without its settings', () => {
    expect(configError({ CONTROL_SERVICES: 'destination,policy', CONTROL_SOURCE: 'kubernetes', ...inCluster }).message).toBe(
      [
        'CONTROL_IDENTITY_SVC_ADDR',
        'CONTROL_IDENTITY_TOKEN_FILE',
        'CONTROL_TRUST_ANCHORS_FILE',
      ]
        .map((v) => `${v}: is required: CONTROL_SERVICES is destination,policy: without identity, policy and destination certify through the identity service`)
        .join('; '),
    );
    expect(configError({ CONTROL_SERVICES: 'policy', ...certifyEnv }).message).toBe(
      'CONTROL_POLICY_WORKLOADS_FILE: is required: CONTROL_SERVICES lists policy and CONTROL_SOURCE is local',
    );
    expect(configError({ CONTROL_SERVICES: 'destination', ...certifyEnv }).variable).toBe(CONTROL_ENV.destinationBaseFile);
    expect(configError({ CONTROL_SERVICES: 'injector', CONTROL_TRUST_ANCHORS_FILE: '/a.crt' }).message).toBe(
      'CONTROL_INJECTOR_LISTEN_ADDR: is required: CONTROL_SERVICES lists injector',
    );
    expect(configError({ CONTROL_SERVICES: 'identity', CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: '/k' }).message).toBe(
      'CONTROL_IDENTITY_DIR: is required: CONTROL_SERVICES lists identity, which signs with the issuer of this trust directory',
    );
  });

  it('names settings of a service not listed, and the certify client beside identity', () => {
    const destination = { CONTROL_SERVICES: 'destination,policy', CONTROL_SOURCE: 'kubernetes', ...inCluster, ...certifyEnv };
    expect(configError({ ...destination, CONTROL_IDENTITY_DIR: '/etc/meshviz/identity' }).message).toBe(
      'CONTROL_IDENTITY_DIR: is a setting of identity, which this process does not run (CONTROL_SERVICES is destination,policy); unset it (got "/etc/meshviz/identity")',
    );
    expect(configError({ ...destination, CONTROL_INJECTOR_LISTEN_ADDR: '0.0.0.0:8443' }).variable).toBe(CONTROL_ENV.injectorListenAddr);
    const both = configError({ ...destination, CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: '/k', CONTROL_IDENTITY_LEAF_LIFETIME: '1h' });
    expect(both.message).toContain('CONTROL_IDENTITY_LEAF_LIFETIME: is a setting of identity');
    expect(both.message).toContain('CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: is a setting of identity');
    expect(configError({ CONTROL_SERVICES: 'injector', CONTROL_TRUST_ANCHORS_FILE: '/a', CONTROL_INJECTOR_LISTEN_ADDR: '0.0.0.0:8443', CONTROL_SOURCE: 'kubernetes' }).message).toContain(
      'CONTROL_SOURCE: is a setting of policy or destination, which this process does not run (CONTROL_SERVICES is injector); unset it (got "kubernetes")',
    );
    expect(configError({ ...minimal, CONTROL_SERVICES: 'identity', CONTROL_DESTINATION_BASE_FILE: '/d.json' }).variable).toBe(CONTROL_ENV.destinationBaseFile);
    // With identity in the process the anchors and certificates come from its trust directory, set or not.
    expect(configError({ ...minimal, CONTROL_TRUST_ANCHORS_FILE: '/a.crt' }).message).toBe(
      'CONTROL_TRUST_ANCHORS_FILE: is for a process without identity; this one runs it, and its anchors and certificates come from CONTROL_IDENTITY_DIR (got "/a.crt")',
    );
    expect(configError({ ...minimal, CONTROL_SERVICES: 'identity,policy', CONTROL_POLICY_WORKLOADS_FILE: '/w', CONTROL_IDENTITY_SVC_ADDR: 'identity:8080' }).variable).toBe(
      CONTROL_ENV.identitySvcAddr,
    );
  });

  it('refuses a list that is empty, names an unknown service or one twice', () => {
    expect(configError({ ...minimal, CONTROL_SERVICES: ' , ' }).message).toBe(
      'CONTROL_SERVICES: must name at least one of identity, policy, destination, injector (got " , ")',
    );
    expect(configError({ ...minimal, CONTROL_SERVICES: 'identity,tap' }).message).toBe(
      'CONTROL_SERVICES: "tap" is not a service; use a comma-separated list of identity, policy, destination, injector (got "identity,tap")',
    );
    expect(configError({ ...minimal, CONTROL_SERVICES: 'identity,identity' }).message).toBe('CONTROL_SERVICES: lists identity twice (got "identity,identity")');
    expect(configError({ ...certifyEnv, CONTROL_SERVICES: 'policy', CONTROL_POLICY_WORKLOADS_FILE: '/w', CONTROL_IDENTITY_SVC_ADDR: 'identity' }).variable).toBe(
      CONTROL_ENV.identitySvcAddr,
    );
  });
});
