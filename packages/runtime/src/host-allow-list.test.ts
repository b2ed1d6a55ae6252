import { describe, expect, it } from 'vitest';
import { hostAllowListPattern, hostAllowListVariable, hostRefusalMessage, isHostAllowed } from './host-allow-list.js';

describe('Host allow-list', () => {
  const allowed = new RegExp(hostAllowListPattern(['web\\.meshviz-viz\\.svc(\\.cluster\\.local)?']));

  it.each([
    'localhost',
    'localhost:8084',
    '127.0.0.1',
    '127.0.0.1:1',
    '[::1]',
    '[::1]:65535',
    'web.meshviz-viz.svc',
    'web.meshviz-viz.svc:8084',
    'web.meshviz-viz.svc.cluster.local:8084',
  ])('allows %s', (host) => {
    expect(isHostAllowed(host, allowed)).toBe(true);
  });

  it.each([
    'evil.example:8084',
    'evil.example',
    // A name that starts or ends like an allowed one is another name.
    'localhost.evil.example:8084',
    'evil-localhost:8084',
    '127.0.0.1.nip.io:8084',
    '127.0.0.2:8084',
    '::1',
    '[::1]x',
    'web.meshviz-viz.svc.evil.example',
    'web.other.svc.cluster.local',
    'webxmeshviz-viz.svc',
    'localhost:',
    'localhost:80:80',
    'localhost\n',
    '',
    null,
    undefined,
  ])('refuses %j', (host) => {
    expect(isHostAllowed(host, allowed)).toBe(false);
  });

  it('follows any configured pattern, loopback included only if the pattern says so', () => {
    const custom = /^meshviz\.example\.com(:\d+)?$/;
    expect(isHostAllowed('meshviz.example.com:443', custom)).toBe(true);
    expect(isHostAllowed('localhost:8084', custom)).toBe(false);
  });

  it('says which Host, why, and what to set', () => {
    const message = hostRefusalMessage('evil.example:8084', 'SOME_ALLOWED_HOSTS');
    expect(message).toBe(
      'the Host header "evil.example:8084" is not allowed; this protects against DNS rebinding. ' +
        'Add it to SOME_ALLOWED_HOSTS (a regular expression) if this is how you reach meshviz',
    );
    expect(hostRefusalMessage('x'.repeat(500), 'V')).toContain(`"${'x'.repeat(100)}"`);
    expect(hostRefusalMessage(undefined, 'V')).toContain('the Host header ""');
  });

  it('takes only valid regular expressions as configuration', () => {
    expect(hostAllowListVariable.safeParse('^a(:\\d+)?$').success).toBe(true);
    const bad = hostAllowListVariable.safeParse('^(a');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('must be a valid regular expression');
  });
});
