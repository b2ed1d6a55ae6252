import { existsSync } from 'node:fs';
import { chmod, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_INTERCEPTION, interceptionArgs, } from '@meshviz/mesh-types';
import type { Layout, MeshPlan, ReplicaPlan } from '../plan.js';
import { allReplicas } from '../policy.js';
import type { Progress } from '../progress.js';
import { podSupport, sh } from './host.js';
import { hostsFile, PodNetwork, type ServiceName } from './network.js';
import { sweepLeftovers } from './state.js';

export type PodsMode = 'on' | 'off' | 'auto';

/** The init program (meshviz-proxy-init), when it is installed: without it pods run with explicit proxies. */
export type InitProgram = { command: string; args: string[] } | null;

/**
 * Decides whether this run has pods: `off` never; `on` or `auto` when the machine allows it (`on` fails naming
 * why not, `auto` says so in one line and runs explicit). Leftovers of a killed run are removed first.
 */
export async function openPodNetwork(mode: PodsMode, stateDir: string, runDir: string, progress: Progress): Promise<PodNetwork | null> {
  if (mode === 'off') return null;
  const support = await podSupport(`mvz-probe-${process.pid}`);
  if (!support.ok) {
    if (mode === 'on') throw new Error(`--pods=on: ${support.reason}`);
    progress.step(`pods: off (${support.reason}); every replica runs on this machine's loopback beside its proxy, which apps address themselves`);
    return null;
  }
  for (const report of sweepLeftovers(stateDir)) progress.step(report);
  const network = await PodNetwork.create(stateDir, runDir);
  // Whatever ends this process from here on (an error, a signal's normal path, process.exit) removes the network.
  process.once('exit', () => network.remove());
  return network;
}

export function podLayout(network: PodNetwork, transparent: boolean): Layout {
  return {
    kind: 'pods',
    pod: (n, namespace, pod) => network.podAddress(n, namespace, pod),
    serviceIp: (n) => network.serviceIp(n),
    transparent,
  };
}

/** Makes every pod of the plan, each with the hosts file that names every service of the mesh. */
export async function makePods(network: PodNetwork, plan: MeshPlan): Promise<void> {
  const services: ServiceName[] = plan.serviceIps;
  for (const [n, r] of allReplicas(plan).entries()) {
    await network.addPod(n, { netns: r.netns!, ip: r.host }, hostsFile({ name: r.pod, namespace: r.namespace, ip: r.host }, services));
  }
}

/**
 * Lets the proxies, which run as PROXY_UID, read what they need of the run directory: the directory and the token
 * directory may be traversed (each token file is then given to them), the discovery table read, and the trust
 * anchors are copied in (the trust directory under the user's home may be closed to other users).
 */
export async function shareWithProxies(runDir: string, files: { destinations: string; tokenDir: string; anchors: string }): Promise<string> {
  await chmod(runDir, 0o711);
  await chmod(files.destinations, 0o644);
  await chmod(files.tokenDir, 0o711);
  const anchors = path.join(runDir, 'trust-anchors.crt');
  await copyFile(files.anchors, anchors);
  await chmod(anchors, 0o644);
  return anchors;
}

/** meshviz-proxy-init, if this installation has it (`@meshviz/proxy-init`). */
export function findInitProgram(resolveBin: (pkg: string, bin: string) => string): InitProgram {
  try {
    const file = resolveBin('@meshviz/proxy-init', 'meshviz-proxy-init');
    return existsSync(file) ? { command: process.execPath, args: [file] } : null;
  } catch {
    return null;
  }
}

/** Applies the interception rules in a pod with the init program, as a Kubernetes pod's init container does. */
export async function applyInterception(init: NonNullable<InitProgram>, r: ReplicaPlan): Promise<void> {
  await sh('ip', ['netns', 'exec', r.netns!, init.command, ...init.args, ...interceptionArgs(DEFAULT_INTERCEPTION)]);
}
