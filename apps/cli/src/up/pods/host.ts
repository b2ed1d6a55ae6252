import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `ip`/`iptables`/… and returns stdout; a failure names the command and what it printed. */
export async function sh(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(command, args, { encoding: 'utf8' });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

/** The same, synchronous, for the last moments of a process (an 'exit' handler); failures are ignored. */
export function shSync(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

const CAP_NET_ADMIN = 12;

/** Whether this process holds CAP_NET_ADMIN (root normally does), from /proc/self/status. */
export function hasNetAdmin(status = readFileSync('/proc/self/status', 'utf8')): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  if (!m) return false;
  return (BigInt(`0x${m[1]}`) & (1n << BigInt(CAP_NET_ADMIN))) !== 0n;
}

/** Whether a program is on PATH (by running it with --version or -V). */
async function has(command: string, versionFlag = '-V'): Promise<boolean> {
  return run(command, [versionFlag]).then(
    () => true,
    () => false,
  );
}

export type PodSupport = { ok: true } | { ok: false; reason: string };

/**
 * Whether this machine lets meshviz run pods: Linux, CAP_NET_ADMIN, `ip`, `iptables` and `setpriv` installed, and
 * a network namespace can really be made (a container without privileges says no only then).
 */
export async function podSupport(probeName: string): Promise<PodSupport> {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces are Linux only (this is ${process.platform})` };
  if (!hasNetAdmin()) return { ok: false, reason: 'network namespaces need root or CAP_NET_ADMIN' };
  for (const [bin, flag] of [
    ['ip', '-V'],
    ['iptables', '-V'],
    ['setpriv', '--version'],
  ] as const) {
    if (!(await has(bin, flag))) return { ok: false, reason: `${bin} is not installed (apt-get install iproute2 iptables util-linux)` };
  }
  try {
    await sh('ip', ['netns', 'add', probeName]);
  } catch (err) {
    return { ok: false, reason: `a network namespace cannot be made here: ${(err as Error).message}` };
  }
  await sh('ip', ['netns', 'del', probeName]).catch(() => {});
  return { ok: true };
}
