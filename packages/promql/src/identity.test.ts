import { describe, expect, it } from 'vitest';
import { podCertificates, workloadIdentities } from './identity.js';
import { eq } from './label-matchers.js';

describe('identity queries', () => {
  it('folds identity_cert_info per workload', () => {
    expect(workloadIdentities().promql).toBe('max by (namespace, deployment, identity) (identity_cert_info{})');
    expect(workloadIdentities([eq('namespace', 'shop')]).promql).toBe(
      'max by (namespace, deployment, identity) (identity_cert_info{namespace="shop"})',
    );
  });
  it("joins a workload's certificate expiries with the identities they name", () => {
    expect(podCertificates('shop', 'we"b')).toBe(
      'identity_cert_expiration_timestamp_seconds{deployment="we\\"b", namespace="shop"} * on (namespace, pod) group_left (identity) identity_cert_info{deployment="we\\"b", namespace="shop"}',
    );
  });
});
