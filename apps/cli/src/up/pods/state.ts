import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { shSync } from './host.js';

/**
 * What one `meshviz up` made on the machine for its pods, written before each thing is made, so that whatever
 * stops it (Ctrl-C, `meshviz down`, a crash, kill -9) the same list says what to remove. Every name carries the
 * `mvz` prefix and the mesh's random id; nothing else is ever touched.
 */
export interface PodsState {
  pid: number;
  meshId: string;
  bridge: string | null;
  netns: string[];
  /** /etc/netns/<name> directories (each pod's hosts file). */
  etcDirs: string[];
  /** The run's directory (logs, discovery, tokens), which a killed run leaves behind too. */
  runDir?: string;
}

export const NAME_PREFIX = 'mvz';

export function stateFileOf(stateDir: string, meshId: string): string {
  return path.join(stateDir, `${meshId}.json`);
}

export async function saveState(stateDir: string, state: PodsState): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = stateFileOf(stateDir, state.meshId);
  await writeFile(`${file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

const ours = (name: string, meshId: string) => name.startsWith(`${NAME_PREFIX}-${meshId}-`) || name === `${NAME_PREFIX}${meshId}`;

/**
 * Removes what a state lists, synchronously (it also runs in an 'exit' handler): the processes left in each pod's
 * namespace, the namespaces (their veth ends and iptables rules go with them), the bridge, the hosts files.
 */
export function removeState(state: PodsState): { netns: number; bridge: boolean } {
  let removed = 0;
  for (const ns of state.netns.filter((n) => ours(n, state.meshId))) {
    for (const pid of shSync('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {}
    }
    if (existsSync(`/run/netns/${ns}`) && shSync('ip', ['netns', 'del', ns]) !== null) removed++;
  }
  // A pod's veth goes with its namespace, but only once the kernel has let go of the namespace: remove the outer
  // ends (named mvz<id>v<n>) now, so nothing of ours is left when this returns.
  for (const link of existsSync('/sys/class/net') ? readdirSync('/sys/class/net') : []) {
    if (new RegExp(`^${NAME_PREFIX}${state.meshId}v\\d+$`).test(link)) shSync('ip', ['link', 'del', link]);
  }
  const bridge = state.bridge !== null && ours(state.bridge, state.meshId) && existsSync(`/sys/class/net/${state.bridge}`);
  if (bridge) shSync('ip', ['link', 'del', state.bridge!]);
  for (const dir of state.etcDirs) {
    if (path.basename(dir).startsWith(`${NAME_PREFIX}-${state.meshId}-`)) rmSync(dir, { recursive: true, force: true });
  }
  if (state.runDir && path.basename(state.runDir).startsWith('meshviz-')) rmSync(state.runDir, { recursive: true, force: true });
  return { netns: removed, bridge };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the leftovers of every earlier `meshviz up` that is gone without cleaning up (killed with -9). */
export function sweepLeftovers(stateDir: string): string[] {
  const reports: string[] = [];
  if (!existsSync(stateDir)) return reports;
  for (const name of readdirSync(stateDir).filter((n) => n.endsWith('.json'))) {
    const file = path.join(stateDir, name);
    let state: PodsState;
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as PodsState;
    } catch {
      continue;
    }
    if (state.pid === process.pid || alive(state.pid)) continue;
    const r = removeState(state);
    rmSync(file, { force: true });
    reports.push(`removed what a stopped meshviz up (pid ${state.pid}) left: ${r.netns} network namespaces${r.bridge ? `, bridge ${state.bridge}` : ''}`);
  }
  return reports;
}
