import { formatHostPort, parseHostPort } from '@meshviz/runtime';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { parseDurationMs } from './duration.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      interception: 'explicit',
      inboundListenAddr: { host: '0.0.0.0', port: 4143 },
      inboundForwardAddr: { host: '127.0.0.1', port: 8080 },
      outboundListenAddr: { host: '127.0.0.1', port: 4140 },
      adminListenAddr: { host: '0.0.0.0', port: 4191 },
      tapListenAddr: { host: '0.0.0.0', port: 4190 },
      destinationsFile: undefined,
      destinationService: undefined,
      destinationInitialWaitMs: 1_000,
      logLevel: 'info',
      shutdownGracePeriodMs: 30_000,
      metricsIdleTimeoutMs: 600_000,
      headerTimeoutMs: 10_000,
      upstreamConnectTimeoutMs: 1_000,
      responseTimeoutMs: 10_000,
      parentPid: undefined,
      inboundRoutes: [],
      detectTimeoutMs: 1_000,
      opaquePorts: new Set([25, 587, 3306, 4444, 5432, 6379, 9300, 11211]),
      outboundTcpTargets: [],
      h2MaxConcurrentStreams: 100,
      h2ResetLimit: { count: 200, windowMs: 10_000 },
      h2Fast: true,
      h2ServerFast: true,
      identity: undefined,
      tlsHandshakeTimeoutMs: 10_000,
      portsRequireIdentity: new Set(),
      policy: {
        service: undefined,
        defaultPolicy: 'all-unauthenticated',
        probePaths: [],
        clusterNetworks: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', 'fd00::/8', '::1/128'],
        initialWaitMs: 1_000,
        port: undefined,
      },
    });
  });

  it('reads the inbound policy settings, and refuses bad ones naming the variable', () => {
    const name = 'web.shop.serviceaccount.identity.meshviz.cluster.local';
    const identity = {
      PROXY_IDENTITY_LOCAL_NAME: name,
      PROXY_IDENTITY_SVC_ADDR: '127.0.0.1:8080',
      PROXY_IDENTITY_TRUST_ANCHORS_FILE: 'ca.crt',
      PROXY_IDENTITY_TOKEN_FILE: 'token',
    };
    const config = loadConfig({
      ...identity,
      PROXY_POLICY_SVC_ADDR: '127.0.0.1:8090',
      PROXY_POLICY_WORKLOAD: 'shop/web',
      PROXY_INBOUND_DEFAULT_POLICY: 'deny',
      PROXY_INBOUND_PROBE_PATHS: '/healthz, /ready',
      PROXY_CLUSTER_NETWORKS: '10.1.0.0/16,fd12::/16',
      PROXY_POLICY_INITIAL_WAIT: '250ms',
    });
    expect(config.policy).toEqual({
      service: {
        addr: { host: '127.0.0.1', port: 8090 },
        name: 'policy.meshviz-system.serviceaccount.identity.meshviz.cluster.local',
        workload: { namespace: 'shop', name: 'web' },
      },
      defaultPolicy: 'deny',
      probePaths: ['/healthz', '/ready'],
      clusterNetworks: ['10.1.0.0/16', 'fd12::/16'],
      initialWaitMs: 250,
      port: undefined,
    });
    expect(loadConfig({ PROXY_INBOUND_POLICY_PORT: '8080' }).policy.port).toBe(8080);
    expect(() => loadConfig({ PROXY_INBOUND_POLICY_PORT: '70000' })).toThrow('PROXY_INBOUND_POLICY_PORT: must be a port number 1..65535');
    const policyName = 'policy.other.serviceaccount.identity.meshviz.cluster.local';
    expect(loadConfig({ ...identity, PROXY_POLICY_SVC_ADDR: 'p:1', PROXY_POLICY_WORKLOAD: 'shop/web', PROXY_POLICY_SVC_NAME: policyName }).policy.service?.name).toBe(policyName);
    expect(() => loadConfig({ PROXY_INBOUND_DEFAULT_POLICY: 'allow' })).toThrow(
      'PROXY_INBOUND_DEFAULT_POLICY: must be one of all-unauthenticated, all-authenticated, cluster-authenticated, cluster-unauthenticated, deny, audit',
    );
    expect(() => loadConfig({ PROXY_INBOUND_PROBE_PATHS: 'healthz' })).toThrow(
      'PROXY_INBOUND_PROBE_PATHS: must be comma-separated paths starting with "/", got "healthz"',
    );
    expect(() => loadConfig({ PROXY_CLUSTER_NETWORKS: '10.0.0.0/33' })).toThrow(
      'PROXY_CLUSTER_NETWORKS: must be comma-separated CIDRs: "10.0.0.0/33" is not a CIDR: the prefix length must be 0-32',
    );
    expect(() => loadConfig({ PROXY_CLUSTER_NETWORKS: '10.0.0/8' })).toThrow('"10.0.0" is not an IP address');
    expect(() => loadConfig({ PROXY_POLICY_INITIAL_WAIT: 'soon' })).toThrow('PROXY_POLICY_INITIAL_WAIT: must be a duration');
    expect(() => loadConfig({ ...identity, PROXY_POLICY_SVC_ADDR: 'p:1', PROXY_POLICY_WORKLOAD: 'shop' })).toThrow(
      'PROXY_POLICY_WORKLOAD: must be <namespace>/<workload>, both DNS-1123 labels (got "shop")',
    );
    expect(() => loadConfig({ PROXY_POLICY_SVC_ADDR: 'p:1', PROXY_POLICY_WORKLOAD: 'shop/web' })).toThrow(
      'PROXY_POLICY_SVC_ADDR needs identity (PROXY_IDENTITY_LOCAL_NAME)',
    );
    expect(() => loadConfig({ ...identity, PROXY_POLICY_SVC_ADDR: 'p:1' })).toThrow('so PROXY_POLICY_WORKLOAD (<namespace>/<workload>) must be set too');
    expect(() => loadConfig({ ...identity, PROXY_POLICY_SVC_ADDR: 'p:1', PROXY_POLICY_WORKLOAD: 'billing/web' })).toThrow(
      `PROXY_POLICY_WORKLOAD: namespace "billing" is not this proxy's (PROXY_IDENTITY_LOCAL_NAME is in "shop")`,
    );
    expect(() => loadConfig({ PROXY_POLICY_WORKLOAD: 'shop/web' })).toThrow('PROXY_POLICY_WORKLOAD is set but PROXY_POLICY_SVC_ADDR is not');
    expect(() => loadConfig({ ...identity, PROXY_POLICY_SVC_ADDR: 'p:1', PROXY_POLICY_WORKLOAD: 'shop/web', PROXY_POLICY_SVC_NAME: 'policy' })).toThrow(
      'PROXY_POLICY_SVC_NAME: must be an identity name',
    );
  });

  it('reads the destination service settings, and refuses bad ones naming the variable', () => {
    const identity = {
      PROXY_IDENTITY_LOCAL_NAME: 'web.shop.serviceaccount.identity.meshviz.example.org',
      PROXY_IDENTITY_SVC_ADDR: '127.0.0.1:8080',
      PROXY_IDENTITY_TRUST_ANCHORS_FILE: 'ca.crt',
      PROXY_IDENTITY_TOKEN_FILE: 'token',
    };
    const config = loadConfig({ ...identity, PROXY_DESTINATION_SVC_ADDR: '127.0.0.1:8086', PROXY_DESTINATION_INITIAL_WAIT: '300ms' });
    expect(config.destinationService).toEqual({
      addr: { host: '127.0.0.1', port: 8086 },
      name: 'destination.meshviz-system.serviceaccount.identity.meshviz.example.org',
    });
    expect(config.destinationInitialWaitMs).toBe(300);
    const other = 'dst.other.serviceaccount.identity.meshviz.example.org';
    expect(loadConfig({ ...identity, PROXY_DESTINATION_SVC_ADDR: 'd:1', PROXY_DESTINATION_SVC_NAME: other }).destinationService?.name).toBe(other);
    expect(() => loadConfig({ PROXY_DESTINATION_SVC_ADDR: 'd:1' })).toThrow('PROXY_DESTINATION_SVC_ADDR needs identity (PROXY_IDENTITY_LOCAL_NAME)');
    expect(() => loadConfig({ PROXY_DESTINATION_SVC_ADDR: 'nowhere' })).toThrow('PROXY_DESTINATION_SVC_ADDR: must be host:port');
    expect(() => loadConfig({ ...identity, PROXY_DESTINATION_SVC_NAME: other })).toThrow(
      'PROXY_DESTINATION_SVC_NAME is set but PROXY_DESTINATION_SVC_ADDR is not',
    );
    expect(() => loadConfig({ ...identity, PROXY_DESTINATION_SVC_ADDR: 'd:1', PROXY_DESTINATION_SVC_NAME: 'destination' })).toThrow(
      'PROXY_DESTINATION_SVC_NAME: must be an identity name',
    );
    expect(() => loadConfig({ PROXY_DESTINATION_INITIAL_WAIT: 'later' })).toThrow('PROXY_DESTINATION_INITIAL_WAIT: must be a duration');
  });

  it('turns identity on with a local name, and then needs the service, the anchors and a token', () => {
    const name = 'web.shop.serviceaccount.identity.meshviz.cluster.local';
    expect(() => loadConfig({ PROXY_IDENTITY_LOCAL_NAME: name })).toThrow(
      'PROXY_IDENTITY_LOCAL_NAME is set, so PROXY_IDENTITY_SVC_ADDR, PROXY_IDENTITY_TRUST_ANCHORS (or _FILE), PROXY_IDENTITY_TOKEN_FILE must be set too',
    );
    expect(() => loadConfig({ PROXY_IDENTITY_LOCAL_NAME: 'web.shop' })).toThrow(
      'PROXY_IDENTITY_LOCAL_NAME: must be an identity name such as web.shop.serviceaccount.identity.meshviz.cluster.local',
    );
    expect(() =>
      loadConfig({ PROXY_IDENTITY_LOCAL_NAME: name, PROXY_IDENTITY_TRUST_ANCHORS: 'not pem' }),
    ).toThrow('PROXY_IDENTITY_TRUST_ANCHORS: must hold PEM certificates');
    const config = loadConfig({
      PROXY_IDENTITY_LOCAL_NAME: name,
      PROXY_IDENTITY_SVC_ADDR: '127.0.0.1:8080',
      PROXY_IDENTITY_TRUST_ANCHORS_FILE: 'ca.crt',
      PROXY_IDENTITY_TOKEN_FILE: 'token',
      PROXY_TLS_HANDSHAKE_TIMEOUT: '3s',
    });
    expect(config.identity).toEqual({
      localName: name,
      serviceAddr: { host: '127.0.0.1', port: 8080 },
      serviceName: 'identity.meshviz-system.serviceaccount.identity.meshviz.cluster.local',
      trustAnchorsPem: undefined,
      trustAnchorsFile: 'ca.crt',
      tokenFile: 'token',
    });
    expect(config.tlsHandshakeTimeoutMs).toBe(3_000);
    expect(() => loadConfig({ PROXY_INBOUND_PORTS_REQUIRE_IDENTITY: '8080' })).toThrow(
      'PROXY_INBOUND_PORTS_REQUIRE_IDENTITY needs identity (PROXY_IDENTITY_LOCAL_NAME)',
    );
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PROXY_INBOUND_LISTEN_ADDR: '[::]:0',
      PROXY_INBOUND_FORWARD_ADDR: 'localhost:3000',
      PROXY_DESTINATIONS_FILE: 'destinations.json',
      PROXY_LOG_LEVEL: 'debug',
      PROXY_SHUTDOWN_GRACE_PERIOD: '0',
      PROXY_METRICS_IDLE_TIMEOUT: '1m30s',
      PROXY_RESPONSE_TIMEOUT: '0',
      PROXY_UPSTREAM_CONNECT_TIMEOUT: '250ms',
      PROXY_PARENT_PID: '4242',
    });
    expect(config.inboundListenAddr).toEqual({ host: '::', port: 0 });
    expect(config.inboundForwardAddr).toEqual({ host: 'localhost', port: 3000 });
    expect(config.destinationsFile).toBe('destinations.json');
    expect(config.logLevel).toBe('debug');
    expect(config.shutdownGracePeriodMs).toBe(0);
    expect(config.metricsIdleTimeoutMs).toBe(90_000);
    expect(config.responseTimeoutMs).toBe(0);
    expect(config.upstreamConnectTimeoutMs).toBe(250);
    expect(config.parentPid).toBe(4242);
  });

  it('reads the interception mode', () => {
    expect(loadConfig({ PROXY_INTERCEPTION: 'transparent' }).interception).toBe('transparent');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PROXY_LOG_LEVEL: '', PROXY_DESTINATIONS_FILE: '' }).logLevel).toBe('info');
  });

  it.each([
    ['PROXY_ADMIN_LISTEN_ADDR', 'localhost', 'must be host:port'],
    ['PROXY_TAP_LISTEN_ADDR', '0.0.0.0:70000', 'must be host:port'],
    ['PROXY_HEADER_TIMEOUT', '10', 'must be a duration'],
    ['PROXY_HEADER_TIMEOUT', '0', 'greater than zero'],
    ['PROXY_LOG_LEVEL', 'verbose', 'must be one of'],
    ['PROXY_INTERCEPTION', 'iptables', 'must be one of explicit, transparent'],
    ['PROXY_PARENT_PID', 'abc', 'positive integer'],
    ['PROXY_H2_FAST', 'yes', 'must be on or off'],
    ['PROXY_H2_SERVER_FAST', 'yes', 'must be on or off'],
  ])('rejects %s=%s naming the variable', (name, value, problem) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: .*${problem}`));
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['1.5s', 1_500],
    ['0', 0],
  ])('%s -> %d', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '10', 's', '-1s', '1d', '1 s'])('rejects %j', (text) => expect(parseDurationMs(text)).toBeNull());
});

describe('host:port', () => {
  it('round-trips IPv4, names and bracketed IPv6', () => {
    for (const text of ['127.0.0.1:4143', 'catalog:80', '[::1]:0']) {
      const parsed = parseHostPort(text);
      expect(parsed).not.toBeNull();
      expect(formatHostPort(parsed!)).toBe(text);
    }
  });
  it.each(['', ':80', 'host', 'host:', 'host:99999', 'a b:80', '::1:80'])('rejects %j', (text) => {
    expect(parseHostPort(text)).toBeNull();
  });
});
