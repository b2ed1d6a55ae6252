import path from 'node:path';
import { API_ENV } from '@meshviz/api/env';
import { CONTROL_ENV } from '@meshviz/control/env';
import { DEMO_SERVICE_ENV, LOADGEN_ENV } from '@meshviz/demo/env';
import { PROXY_ENV } from '@meshviz/proxy/env';
import { NEXT_ENV, WEB_ENV } from '@meshviz/web/env';
import { describe, expect, it } from 'vitest';
import { apiProcess, loadgenProcess, packageDir, proxyProcess, serviceProcess, webProcess } from './components.js';
import { controlProcess, proxyIdentityEnv, type RunIdentity } from './identity.js';
import { loadMeshFile } from './mesh-file.js';
import { planMesh } from './plan.js';
import { clusterNetworksOf, proxyPolicyEnv } from './policy.js';
import { PortAllocator } from './ports.js';
import type { ProcessSpec } from './processes.js';

/** The variables a spec sets, sorted. */
const variables = (spec: Pick<ProcessSpec, 'env'>): string[] => Object.keys(spec.env ?? {}).sort();

/** Every name of `names` that the app does not read. Each app's schema is checked against its names (satisfies). */
const unread = (set: readonly string[], ...names: Record<string, string>[]): string[] => {
  const read = new Set(names.flatMap((n) => Object.values(n)));
  return set.filter((variable) => !read.has(variable));
};

const identity: RunIdentity = {
  trustDomain: 'cluster.local',
  trustDir: '/run/trust',
  anchorsFile: '/run/trust/ca.crt',
  issuerCertFile: '/run/trust/issuer.crt',
  tokenKeyFile: '/run/token.key',
  tokenDir: '/run/tokens',
  tokenKey: Buffer.alloc(32),
};

describe('the environments meshviz up gives its children', () => {
  it('set only variables the child reads', async () => {
    const mesh = await loadMeshFile(path.join(packageDir('@meshviz/demo'), 'mesh.yaml'));
    const plan = await planMesh(mesh, new PortAllocator());
    const service = plan.replicas.find((r) => r.routes !== null && r.program === null);
    expect(service).toBeDefined();
    expect(plan.loadgen).not.toBeNull();
    expect(mesh.load).toBeDefined();

    const meshEnv = {
      ...proxyIdentityEnv(identity, service!, '/run/tokens/web', '127.0.0.1:8080'),
      ...proxyPolicyEnv(service!, { policy: '127.0.0.1:8090', destination: '127.0.0.1:8086' }, 'cluster.local', clusterNetworksOf(mesh)),
    };
    const proxy = proxyProcess({ ...service!, transparent: true }, '/run/destinations.json', 'token', meshEnv);
    const control = controlProcess(
      identity,
      { identity: 1, admin: 2, policy: 3, destination: 4 },
      { workloadsFile: '/run/w.json', dir: '/mesh', destinationsFile: '/run/d.json', compiledDestinationsFile: '/run/c.json' },
      '1',
    );
    const api = apiProcess(1, 'http://127.0.0.1:9090', { clientToken: 'c', proxyToken: 'p', targetsFile: '/run/t.json' }, identity, '/run/c.json', '/mesh', '/run/p.json');
    const children: [ProcessSpec, Record<string, string>[]][] = [
      [proxy, [PROXY_ENV]],
      [serviceProcess(service!), [DEMO_SERVICE_ENV]],
      [loadgenProcess(plan.loadgen!, mesh.load!), [LOADGEN_ENV]],
      [control, [CONTROL_ENV]],
      [api, [API_ENV]],
      [webProcess('127.0.0.1', 8084, 'http://127.0.0.1:8085'), [WEB_ENV, NEXT_ENV]],
    ];
    for (const [spec, names] of children) {
      expect(variables(spec).length, spec.name).toBeGreaterThan(0);
      expect(unread(variables(spec), ...names), spec.name).toEqual([]);
    }
    // The proxy's environment carries identity, policy and interception: the variables the spreads add arrive too.
    expect(variables(proxy)).toEqual(
      expect.arrayContaining([PROXY_ENV.identityLocalName, PROXY_ENV.policyWorkload, PROXY_ENV.interception, PROXY_ENV.parentPid]),
    );
  });

  it('tells a variable the child does not read', () => {
    expect(unread(['PROXY_LOG_LEVEL', 'PROXY_NO_SUCH_THING'], PROXY_ENV)).toEqual(['PROXY_NO_SUCH_THING']);
  });
});
