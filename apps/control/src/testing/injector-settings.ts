import type { InjectorSettings } from '../injector/sidecar.js';

/** The settings the injector's tests inject with (what CONTROL_INJECTOR_* defaults give, with test images). */
export const TEST_SETTINGS: InjectorSettings = {
  proxyImage: 'registry.example/meshviz/proxy:0.1.0',
  initImage: 'registry.example/meshviz/proxy:0.1.0',
  proxyVersion: '0.1.0',
  identityAddr: 'identity.meshviz-system.svc.cluster.local:8080',
  destinationAddr: 'destination.meshviz-system.svc.cluster.local:8086',
  policyAddr: 'policy.meshviz-system.svc.cluster.local:8090',
  policyServiceAccount: 'destination',
  trustDomain: 'cluster.local',
  trustAnchorsConfigMap: undefined,
  defaultInboundPolicy: 'all-unauthenticated',
  proxyLogLevel: 'info',
};
