import { describe, expect, it } from 'vitest';
import { LocalIdentity } from './local-identity.js';

const material = { keyPem: 'key', chainPem: 'chain', notAfter: new Date(Date.now() + 60_000) };

describe('LocalIdentity TLS sessions', () => {
  it('keeps the newest session per endpoint and drops them all when the certificate or the anchors change', () => {
    const identity = new LocalIdentity('web.shop.serviceaccount.identity.meshviz.cluster.local', 'anchors');
    identity.keepSession('catalog 10.0.0.1:4143', Buffer.from('one'));
    identity.keepSession('catalog 10.0.0.1:4143', Buffer.from('two'));
    identity.keepSession('catalog 10.0.0.2:4143', Buffer.from('other'));
    expect(identity.session('catalog 10.0.0.1:4143')?.toString()).toBe('two');
    expect(identity.session('catalog 10.0.0.3:4143')).toBeUndefined();

    identity.update({ material });
    expect(identity.session('catalog 10.0.0.1:4143')).toBeUndefined();
    identity.keepSession('catalog 10.0.0.1:4143', Buffer.from('three'));
    identity.update({ anchorsPem: 'new anchors' });
    expect(identity.session('catalog 10.0.0.1:4143')).toBeUndefined();
  });

  it('keeps sessions for at most 1024 endpoints, forgetting the least recently stored', () => {
    const identity = new LocalIdentity('web.shop.serviceaccount.identity.meshviz.cluster.local', 'anchors');
    for (let i = 0; i < 1025; i++) identity.keepSession(`catalog 10.0.${i >> 8}.${i & 255}:4143`, Buffer.from(String(i)));
    expect(identity.session('catalog 10.0.0.0:4143')).toBeUndefined();
    expect(identity.session('catalog 10.0.0.1:4143')?.toString()).toBe('1');
    expect(identity.session('catalog 10.0.4.0:4143')?.toString()).toBe('1024');
  });
});
