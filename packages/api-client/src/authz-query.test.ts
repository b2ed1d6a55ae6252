import { describe, expect, it } from 'vitest';
import { AuthzQuery } from './authz-query.js';

describe('AuthzQuery', () => {
  it('defaults to a deployment over one minute', () => {
    expect(AuthzQuery.parse({ namespace: 'shop', name: 'api' })).toEqual({ kind: 'deployment', namespace: 'shop', name: 'api', window: '1m' });
    expect(AuthzQuery.parse({ kind: 'pod', namespace: 'shop', name: 'api-0', window: '5m' }).kind).toBe('pod');
  });

  it.each([
    [{ kind: 'service', namespace: 'shop', name: 'api' }, 'kind', /must be one of deployment, statefulset, daemonset, job, cronjob, replicaset, pod/],
    [{ kind: 'namespace', namespace: 'shop', name: 'api' }, 'kind', /a workload kind or a pod/],
    [{ namespace: 'Shop', name: 'api' }, 'namespace', /DNS-1123/],
    [{ namespace: 'shop', name: 'api_v2' }, 'name', /DNS-1123/],
    [{ namespace: 'shop', name: 'api', window: '10s' }, 'window', /between 30s and 24h/],
  ])('refuses %j, naming %s', (query, param, message) => {
    const parsed = AuthzQuery.safeParse(query);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([param]);
    expect(parsed.error?.issues[0]?.message).toMatch(message);
  });
});
