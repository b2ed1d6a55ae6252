import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROXY_UID } from '@meshviz/mesh-types';

/** Why pods cannot be made here, or undefined when they can (root, or CAP_NET_ADMIN and iptables). */
export function podsUnsupported(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux only, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'not root: network namespaces, veth links and iptables need CAP_NET_ADMIN';
  const probe = spawnSync('unshare', ['-n', 'iptables-save', '-t', 'nat'], { encoding: 'utf8' });
  if (probe.status !== 0) return `cannot run iptables in a new network namespace: ${(probe.stderr || probe.error?.message || '').trim()}`;
  return undefined;
}

export interface PodProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/**
 * Throwaway pods for tests: network namespaces named `mvzt-<hex>-<name>`, veth links joining them (or a pod and
 * the test's own namespace), processes in them, and per-pod hosts files under /etc/netns (which `ip netns exec`
 * bind-mounts over /etc/hosts). `destroy` removes every one of them, whatever state the test left.
 */
export class Pods {
  readonly id = randomBytes(3).toString('hex');
  /** A temp dir every user can read (the proxy runs as PROXY_UID, not root). */
  readonly dir: string;
  private readonly namespaces = new Set<string>();
  private readonly links = new Set<string>();
  private readonly processes = new Set<ChildProcess>();

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'meshviz-pods-'));
    chmodSync(this.dir, 0o755);
  }

  /** Creates a namespace with lo up; returns its name. */
  addPod(name: string): string {
    const netns = `mvzt-${this.id}-${name}`;
    execFileSync('ip', ['netns', 'add', netns]);
    this.namespaces.add(netns);
    this.exec(netns, ['ip', 'link', 'set', 'lo', 'up']);
    return netns;
  }

  /**
   * A veth pair: `a` end in namespace `aNs` (undefined: this process' namespace) with address `aAddr` (CIDR), the
   * other in `bNs` with `bAddr`.
   */
  link(tag: string, aNs: string | undefined, aAddr: string, bNs: string, bAddr: string): void {
    const a = `mvzt${this.id}${tag}a`;
    const b = `mvzt${this.id}${tag}b`;
    execFileSync('ip', ['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
    this.links.add(a);
    execFileSync('ip', ['link', 'set', b, 'netns', bNs]);
    if (aNs !== undefined) execFileSync('ip', ['link', 'set', a, 'netns', aNs]);
    const inA = (args: string[]) => (aNs === undefined ? execFileSync('ip', args) : this.exec(aNs, ['ip', ...args]));
    inA(['addr', 'add', aAddr, 'dev', a]);
    inA(['link', 'set', a, 'up']);
    this.exec(bNs, ['ip', 'addr', 'add', bAddr, 'dev', b]);
    this.exec(bNs, ['ip', 'link', 'set', b, 'up']);
  }

  /** The pod's /etc/hosts, as programs in it see it. */
  hosts(netns: string, lines: string[]): void {
    mkdirSync(path.join('/etc/netns', netns), { recursive: true });
    writeFileSync(path.join('/etc/netns', netns, 'hosts'), `127.0.0.1 localhost\n${lines.join('\n')}\n`);
  }

  /** Writes a file in the shared dir, readable by the proxy's user. */
  file(name: string, content: string): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, content, { mode: 0o644 });
    return file;
  }

  exec(netns: string, argv: string[], input?: string): string {
    return execFileSync('ip', ['netns', 'exec', netns, ...argv], { encoding: 'utf8', input, timeout: 30_000 });
  }

  /** Starts a long-running process in the pod, as the proxy's user when `asProxy`. */
  spawn(netns: string, argv: string[], options: { env?: Record<string, string>; asProxy?: boolean; cwd?: string } = {}): PodProcess {
    const user = options.asProxy ? ['setpriv', `--reuid=${PROXY_UID}`, `--regid=${PROXY_UID}`, '--clear-groups'] : [];
    const child = spawn('ip', ['netns', 'exec', netns, ...user, ...argv], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd,
    });
    this.processes.add(child);
    child.once('exit', () => this.processes.delete(child));
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return { child, output: () => output };
  }

  /** Names and pids this fixture made that still exist (empty after destroy). */
  leftovers(): string[] {
    const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    const prefix = `mvzt${this.id}`;
    return [
      ...netns.split('\n').filter((line) => line.startsWith(`mvzt-${this.id}-`)),
      ...links.split('\n').filter((line) => line.includes(prefix)),
      ...[...this.processes].filter((child) => child.exitCode === null && child.signalCode === null).map((child) => `pid ${child.pid}`),
    ];
  }

  /** Kills every process, then deletes namespaces (their iptables rules go with them), links and hosts files. */
  async destroy(): Promise<void> {
    const exits = [...this.processes].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    );
    await Promise.all(exits);
    for (const link of this.links) spawnSync('ip', ['link', 'delete', link]);
    this.links.clear();
    for (const netns of this.namespaces) {
      spawnSync('ip', ['netns', 'delete', netns]);
      rmSync(path.join('/etc/netns', netns), { recursive: true, force: true });
    }
    this.namespaces.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
