import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { podsUnsupported } from '../testing/pods.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const skipReason = podsUnsupported();

describe.skipIf(skipReason !== undefined)(`SO_ORIGINAL_DST through koffi${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('reads the original IPv4 and IPv6 destinations of redirected connections, and nothing for a direct one', () => {
    // A private network namespace (unshare -n): its ports and rules are its own and vanish with it.
    const script = [
      'ip link set lo up',
      'iptables -t nat -A OUTPUT -p tcp --dport 5555 -j REDIRECT --to-ports 7777',
      'ip6tables -t nat -A OUTPUT -p tcp --dport 5556 -j REDIRECT --to-ports 7777',
      `exec "${process.execPath}" --import tsx src/testing/original-dst-probe.ts 7777 127.0.0.1:5555 [::1]:5556 127.0.0.1:7777`,
    ].join(' && ');
    const run = spawnSync('unshare', ['-n', 'sh', '-c', script], { cwd: packageDir, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([{ host: '127.0.0.1', port: 5555 }, { host: '::1', port: 5556 }, null]);
  });
});
