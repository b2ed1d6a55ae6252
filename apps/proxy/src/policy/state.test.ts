import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { catalogPolicy } from '../testing/policy-fixtures.js';
import { silentLog } from '../testing/test-config.js';
import { PolicyState } from './state.js';

const state = () =>
  new PolicyState({
    port: 8080,
    defaults: { defaultPolicy: 'all-unauthenticated', clusterNetworks: [], probePaths: [] },
    awaitControl: false,
    registry: new Registry(),
    log: silentLog,
  });

describe('PolicyState.forPort (transparent interception: each connection names its app port)', () => {
  it("gives each port its own entry of the policy in force, and the policy's default to ports it leaves out", () => {
    const policy = state();
    const applied = catalogPolicy(1, 8080, { server: { kind: 'server', name: 'catalog-http' } });
    applied.ports.push({ port: 7000, protocol: 'opaque', server: { kind: 'server', name: 'catalog-echo' }, routes: [], authorizations: [] });
    policy.apply(applied);
    expect(policy.forPort(undefined)).toBe(policy.port);
    expect(policy.forPort(8080).server.name).toBe('catalog-http');
    expect(policy.forPort(7000)).toMatchObject({ port: 7000, opaque: true, server: { name: 'catalog-echo' } });
    expect(policy.forPort(7000)).toBe(policy.forPort(7000));
    // The policy's own default (deny) for a port it does not list.
    expect(policy.forPort(9000)).toMatchObject({ port: 9000, server: { kind: 'default', name: 'deny' } });
  });

  it('recompiles for the next policy, and uses the configured default before any', () => {
    const policy = state();
    expect(policy.forPort(7000)).toMatchObject({ port: 7000, server: { kind: 'default', name: 'all-unauthenticated' } });
    const applied = catalogPolicy(2, 8080);
    applied.ports.push({ port: 7000, protocol: 'opaque', server: { kind: 'server', name: 'catalog-echo' }, routes: [], authorizations: [] });
    policy.apply(applied);
    expect(policy.forPort(7000).server.name).toBe('catalog-echo');
  });
});
