import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLUSTER_DOMAIN } from '@meshviz/mesh-types';
import { sh } from './host.js';
import { NAME_PREFIX, type PodsState, removeState, saveState, stateFileOf } from './state.js';

/**
 * The pods' network on this machine. Each mesh takes one /24 of 10.233.0.0/17 for its pods (gateway .1 on its
 * bridge `mvz<id>`, pods from .10) and the matching /24 of 10.233.128.0/17 for its services' virtual addresses, so
 * two meshes on one machine (a demo and a test) never share addresses or names.
 */
export const POD_CIDR = '10.233.0.0/16';
const FIRST_POD_HOST = 10;
const MAX_PODS = 240;

export interface PodAddress {
  netns: string;
  ip: string;
}

export interface ServiceName {
  service: string;
  namespace: string;
  ip: string;
}

/** The /24 index a new mesh may take: one no address of this machine is in yet. */
export async function freeSubnet(): Promise<number> {
  const used = new Set<number>();
  for (const m of (await sh('ip', ['-4', '-o', 'addr', 'show'])).matchAll(/inet 10\.233\.(\d+)\./g)) used.add(Number(m[1]));
  for (const m of (await sh('ip', ['-4', 'route', 'show'])).matchAll(/10\.233\.(\d+)\./g)) used.add(Number(m[1]));
  const start = randomBytes(1)[0]! % 128;
  for (let i = 0; i < 128; i++) {
    const x = (start + i) % 128;
    if (!used.has(x)) return x;
  }
  throw new Error('every pod subnet of 10.233.0.0/17 is in use: stop other meshes first');
}

/** Hosts file lines of one pod: its own name, and every service by `<svc>.<ns>[.svc.cluster.local]` (and `<svc>` in its namespace). */
export function hostsFile(pod: { name: string; namespace: string; ip: string }, services: readonly ServiceName[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `${pod.ip}\t${pod.name}`];
  for (const s of services) {
    const names = [`${s.service}.${s.namespace}`, `${s.service}.${s.namespace}.svc`, `${s.service}.${s.namespace}.${CLUSTER_DOMAIN}`];
    if (s.namespace === pod.namespace) names.unshift(s.service);
    lines.push(`${s.ip}\t${names.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export class PodNetwork {
  readonly meshId: string;
  readonly bridge: string;
  readonly gateway: string;
  private readonly state: PodsState;
  /** Each pod's outer veth end, by namespace. */
  private readonly veths = new Map<string, string>();
  private removed = false;

  private constructor(
    private readonly stateDir: string,
    private readonly subnet: number,
  ) {
    this.meshId = randomBytes(3).toString('hex');
    this.bridge = `${NAME_PREFIX}${this.meshId}`;
    this.gateway = `10.233.${subnet}.1`;
    this.state = { pid: process.pid, meshId: this.meshId, bridge: null, netns: [], etcDirs: [] };
  }

  /** Makes the mesh's bridge (recorded in the state file first, so even a crash right after leaves nothing). */
  static async create(stateDir: string, runDir: string): Promise<PodNetwork> {
    const net = new PodNetwork(stateDir, await freeSubnet());
    net.state.bridge = net.bridge;
    net.state.runDir = runDir;
    await saveState(stateDir, net.state);
    await sh('ip', ['link', 'add', net.bridge, 'type', 'bridge']);
    await sh('ip', ['addr', 'add', `${net.gateway}/24`, 'dev', net.bridge]);
    await sh('ip', ['link', 'set', net.bridge, 'up']);
    return net;
  }

  /** The n-th pod's namespace name and address. */
  podAddress(n: number, namespace: string, pod: string): PodAddress {
    if (n >= MAX_PODS) throw new Error(`a local mesh holds at most ${MAX_PODS} pods`);
    return { netns: `${NAME_PREFIX}-${this.meshId}-${namespace}-${pod}`, ip: `10.233.${this.subnet}.${FIRST_POD_HOST + n}` };
  }

  serviceIp(n: number): string {
    if (n >= 250) throw new Error('a local mesh holds at most 250 services');
    return `10.233.${128 + this.subnet}.${FIRST_POD_HOST + n}`;
  }

  /**
   * Makes a pod: its namespace with loopback up, a veth pair whose outer end joins the bridge and whose inner end
   * is the pod's eth0 with its address, a default route through the gateway, and its hosts file.
   */
  async addPod(n: number, addr: PodAddress, hosts: string): Promise<void> {
    const { netns, ip } = addr;
    const etcDir = path.join('/etc/netns', netns);
    this.state.netns.push(netns);
    this.state.etcDirs.push(etcDir);
    await saveState(this.stateDir, this.state);
    await mkdir(etcDir, { recursive: true });
    await writeFile(path.join(etcDir, 'hosts'), hosts, { mode: 0o644 });
    const outer = `${NAME_PREFIX}${this.meshId}v${n}`;
    const inner = `${NAME_PREFIX}${this.meshId}p${n}`;
    this.veths.set(netns, outer);
    await sh('ip', ['netns', 'add', netns]);
    await sh('ip', ['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner]);
    await sh('ip', ['link', 'set', inner, 'netns', netns]);
    await sh('ip', ['link', 'set', outer, 'master', this.bridge, 'up']);
    await sh('ip', ['-n', netns, 'link', 'set', inner, 'name', 'eth0']);
    await sh('ip', ['-n', netns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
    await sh('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
    await sh('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
    await sh('ip', ['-n', netns, 'route', 'add', 'default', 'via', this.gateway]);
  }

  /** Rewrites a pod's hosts file in place: its processes see the bind-mounted file, so its inode must stay. */
  async writeHosts(netns: string, hosts: string): Promise<void> {
    await writeFile(path.join('/etc/netns', netns, 'hosts'), hosts);
  }

  /** Removes one pod (after its processes have stopped): its namespace, with its veth, and its hosts file. */
  async removePod(netns: string): Promise<void> {
    if (!this.state.netns.includes(netns)) return;
    await sh('ip', ['netns', 'del', netns]);
    // The veth would go with the namespace once the kernel lets go of it; removed now, nothing is left meanwhile.
    const outer = this.veths.get(netns);
    if (outer && existsSync(`/sys/class/net/${outer}`)) await sh('ip', ['link', 'del', outer]).catch(() => {});
    const etcDir = path.join('/etc/netns', netns);
    rmSync(etcDir, { recursive: true, force: true });
    this.state.netns = this.state.netns.filter((n) => n !== netns);
    this.state.etcDirs = this.state.etcDirs.filter((d) => d !== etcDir);
    await saveState(this.stateDir, this.state);
  }

  /** Removes everything this network made (synchronous: it also runs while the process exits). */
  remove(): { netns: number; bridge: boolean } {
    if (this.removed) return { netns: 0, bridge: false };
    this.removed = true;
    const r = removeState(this.state);
    rmSync(stateFileOf(this.stateDir, this.meshId), { force: true });
    return r;
  }

  get names(): Readonly<PodsState> {
    return this.state;
  }
}
