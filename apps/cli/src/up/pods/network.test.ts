import { describe, expect, it } from 'vitest';
import { hasNetAdmin } from './host.js';
import { hostsFile } from './network.js';

describe('a pod hosts file', () => {
  it('names every service by <svc>.<ns> and its cluster name, and by <svc> only in the pod namespace', () => {
    const text = hostsFile({ name: 'web-0', namespace: 'shop', ip: '10.233.4.10' }, [
      { service: 'api', namespace: 'shop', ip: '10.233.132.10' },
      { service: 'ledger', namespace: 'billing', ip: '10.233.132.11' },
    ]);
    expect(text.split('\n')).toEqual([
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      '10.233.4.10\tweb-0',
      '10.233.132.10\tapi api.shop api.shop.svc api.shop.svc.cluster.local',
      '10.233.132.11\tledger.billing ledger.billing.svc ledger.billing.svc.cluster.local',
      '',
    ]);
  });
});

describe('hasNetAdmin', () => {
  it('reads CAP_NET_ADMIN (bit 12) of the effective set', () => {
    expect(hasNetAdmin('Name:\tnode\nCapEff:\t000001ffffffffff\n')).toBe(true);
    expect(hasNetAdmin('Name:\tnode\nCapEff:\t0000000000001000\n')).toBe(true);
    expect(hasNetAdmin('Name:\tnode\nCapEff:\t000001ffffffefff\n')).toBe(false);
    expect(hasNetAdmin('Name:\tnode\nCapEff:\t0000000000000000\n')).toBe(false);
    expect(hasNetAdmin('no capabilities here')).toBe(false);
  });
});
