import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DEFAULT_INTERCEPTION } from '@meshviz/mesh-types';
import { afterAll, describe, expect, it } from 'vitest';
import { applyInterception, removeInterception, saveNat } from './iptables.js';
import { interceptionRules, jumpRules, ownedLines } from './rules.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Network namespaces need root (or CAP_NET_ADMIN); `ip netns add` is the test of it. */
function namespacesAllowed(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: network namespaces and iptables need CAP_NET_ADMIN';
  const probe = spawnSync('unshare', ['-n', 'iptables-save', '-t', 'nat'], { encoding: 'utf8' });
  if (probe.status !== 0) return `cannot run iptables in a new network namespace: ${probe.stderr || probe.error?.message}`;
  return undefined;
}
const skipReason = namespacesAllowed();

const made = new Set<string>();
function addNetns(): string {
  const name = `meshviz-test-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  made.add(name);
  return name;
}
function deleteNetns(name: string): void {
  spawnSync('ip', ['netns', 'delete', name]);
  made.delete(name);
}
afterAll(() => {
  for (const name of made) deleteNetns(name);
});

/** Runs the init program's own source inside a namespace. */
function init(netns: string, args: string[]) {
  return spawnSync('ip', ['netns', 'exec', netns, process.execPath, '--import', 'tsx', main, ...args], { encoding: 'utf8' });
}

describe.skipIf(skipReason !== undefined)(`meshviz-proxy-init in a network namespace${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('applies exactly the generated rules, idempotently, and cleans up only its own', () => {
    const netns = addNetns();
    try {
      // Someone else's rule, which neither apply nor cleanup may touch.
      execFileSync('ip', ['netns', 'exec', netns, 'iptables', '-t', 'nat', '-A', 'OUTPUT', '-p', 'udp', '--dport', '53', '-j', 'RETURN']);
      const args = ['--skip-outbound-ports', '5432,6000-6002', '--skip-outbound-cidrs', '10.234.9.0/24'];
      for (let run = 0; run < 2; run++) {
        const result = init(netns, args);
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      }
      const saved = execFileSync('ip', ['netns', 'exec', netns, 'iptables-save', '-t', 'nat'], { encoding: 'utf8' });
      const owned = ownedLines(saved);
      expect(owned.chains).toEqual(['MESHVIZ_INBOUND', 'MESHVIZ_OUTPUT']);
      const spec = { ...DEFAULT_INTERCEPTION, skipOutboundPorts: [5432, 6000, 6001, 6002], skipOutboundCidrs: ['10.234.9.0/24'] };
      expect(owned.rules).toEqual(interceptionRules(spec));
      expect(owned.jumps).toEqual(jumpRules());
      expect(saved).toContain('-A OUTPUT -p udp -m udp --dport 53 -j RETURN');

      const cleanup = init(netns, ['--cleanup']);
      expect(cleanup.stdout).toBe('meshviz-proxy-init: interception rules removed\n');
      const after = execFileSync('ip', ['netns', 'exec', netns, 'iptables-save', '-t', 'nat'], { encoding: 'utf8' });
      expect(ownedLines(after)).toEqual({ chains: [], rules: [], jumps: [] });
      expect(after).toContain('-A OUTPUT -p udp -m udp --dport 53 -j RETURN');
      expect(init(netns, ['--cleanup']).stdout).toBe('meshviz-proxy-init: no interception rules to remove\n');
    } finally {
      deleteNetns(netns);
    }
  });

  it('works through the library with --netns, and replaces a changed spec rather than adding to it', async () => {
    const netns = addNetns();
    try {
      await applyInterception(DEFAULT_INTERCEPTION, { netns });
      const changed = { ...DEFAULT_INTERCEPTION, outboundPort: 5140, skipOutboundPorts: [25] };
      await applyInterception(changed, { netns });
      const owned = ownedLines(await saveNat({ netns }));
      expect(owned.rules).toEqual(interceptionRules(changed));
      expect(owned.jumps).toEqual(jumpRules());
      expect(await removeInterception({ netns })).toBe(true);
      expect(ownedLines(await saveNat({ netns })).chains).toEqual([]);
    } finally {
      deleteNetns(netns);
    }
  });

  it('names the failing command and its stderr', async () => {
    await expect(saveNat({ netns: `meshviz-test-missing-${randomBytes(4).toString('hex')}` })).rejects.toThrow(
      /^ip netns exec meshviz-test-missing-\w+ iptables-save -t nat failed \(exit \d+\): Cannot open network namespace/,
    );
    const result = init('nonexistent-ns-for-test', ['--cleanup']);
    expect(result.status).not.toBe(0);
  });
});
