import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_ENV, type ApiEnv } from '@meshviz/api/env';
import { DEMO_SERVICE_ENV, type DemoServiceEnv, LOADGEN_ENV, type LoadgenEnv } from '@meshviz/demo/env';
import { type Load, PROXY_UID } from '@meshviz/mesh-types';
import { PROXY_ENV, type ProxyEnv } from '@meshviz/proxy/env';
import { NEXT_ENV, WEB_ENV, type WebEnv } from '@meshviz/web/env';
import { type ReplicaPlan, routeTable } from './plan.js';
import type { PodRef, ProcessSpec } from './processes.js';

const HOST = '127.0.0.1';

/** Finds an installed workspace package's folder by walking up to the node_modules that holds it. */
export function packageDir(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name, 'package.json');
    // Resolve the workspace symlink, so paths shown to users are the real ones (apps/demo/mesh.yaml).
    if (existsSync(candidate)) return path.dirname(realpathSync(candidate));
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package ${name} is not installed; run npm install`);
    dir = parent;
  }
}

/** The JS file behind one of a package's bins: a committed loader that says so itself when the program is not built. */
export function binPath(pkg: string, bin: string): string {
  const dir = packageDir(pkg);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const rel = manifest.bin?.[bin];
  if (!rel) throw new Error(`package ${pkg} has no bin ${bin}`);
  const file = path.join(dir, rel);
  if (!existsSync(file)) throw new Error(`${pkg} has no file for its bin ${bin} (${rel}); run npm install`);
  return file;
}

const parent = () => String(process.pid);

export const podRef = (r: ReplicaPlan, container: PodRef['container']): PodRef => ({
  namespace: r.namespace,
  deployment: r.workload,
  pod: r.pod,
  container,
});

/** The address a pod's servers bind: every interface of its own namespace, or loopback when sharing the machine's. */
const bindHost = (r: ReplicaPlan) => (r.netns ? '0.0.0.0' : HOST);

/**
 * Runs a command in the replica's pod: `ip netns exec` enters its network namespace (and bind-mounts its hosts
 * file), `setpriv` drops to `uid` when given and makes the process die with `meshviz up` (a parent-death signal),
 * so a killed runtime leaves no program behind.
 */
export function inPod(
  r: Pick<ReplicaPlan, 'netns'>,
  command: string,
  args: string[],
  uid?: number,
): { command: string; args: string[]; diesWithRuntime: true } {
  const ids = uid === undefined ? [] : ['--reuid', String(uid), '--regid', String(uid), '--clear-groups'];
  const guarded = ['setpriv', ...ids, '--pdeathsig', 'KILL', '--', command, ...args];
  if (r.netns) return { command: 'ip', args: ['netns', 'exec', r.netns, ...guarded], diesWithRuntime: true };
  return { command: guarded[0]!, args: guarded.slice(1), diesWithRuntime: true };
}

export function proxyProcess(
  r: ReplicaPlan,
  destinationsFile: string,
  tapToken: string,
  meshEnv: ProxyEnv,
): ProcessSpec {
  const bind = bindHost(r);
  const proxyBin = binPath('@meshviz/proxy', 'meshviz-proxy');
  return {
    name: `${r.namespace}/${r.pod}/proxy`,
    pod: podRef(r, 'proxy'),
    // In a pod the proxy runs as its own user, whose connections the interception rules leave alone.
    ...(r.netns ? inPod(r, process.execPath, [proxyBin], PROXY_UID) : { command: process.execPath, args: [proxyBin] }),
    env: {
      [PROXY_ENV.inboundListenAddr]: `${bind}:${r.proxy.inbound}`,
      [PROXY_ENV.inboundForwardAddr]: `${HOST}:${r.appPort}`,
      [PROXY_ENV.outboundListenAddr]: `${HOST}:${r.proxy.outbound}`,
      [PROXY_ENV.adminListenAddr]: `${bind}:${r.proxy.admin}`,
      [PROXY_ENV.tapListenAddr]: `${bind}:${r.proxy.tap}`,
      [PROXY_ENV.destinationsFile]: destinationsFile,
      [PROXY_ENV.inboundRoutes]: JSON.stringify(routeTable(r.routes ?? [])),
      [PROXY_ENV.shutdownGracePeriod]: '2s',
      [PROXY_ENV.tapToken]: tapToken,
      [PROXY_ENV.namespace]: r.namespace,
      [PROXY_ENV.deployment]: r.workload,
      [PROXY_ENV.pod]: r.pod,
      [PROXY_ENV.parentPid]: parent(),
      ...(r.transparent ? { [PROXY_ENV.interception]: 'transparent' } : {}),
      ...meshEnv,
    } satisfies ProxyEnv,
  };
}

/** A node program of the runtime's own (demo service, load generator), in the replica's pod when it has one. */
function nodeIn(r: ReplicaPlan, file: string): { command: string; args: string[] } {
  return r.netns ? inPod(r, process.execPath, [file]) : { command: process.execPath, args: [file] };
}

export function serviceProcess(r: ReplicaPlan): ProcessSpec {
  return {
    name: `${r.namespace}/${r.pod}/app`,
    pod: podRef(r, 'app'),
    ...nodeIn(r, binPath('@meshviz/demo', 'meshviz-demo-service')),
    env: {
      [DEMO_SERVICE_ENV.listenAddr]: `${bindHost(r)}:${r.appPort}`,
      [DEMO_SERVICE_ENV.outboundAddr]: `${HOST}:${r.proxy.outbound}`,
      [DEMO_SERVICE_ENV.namespace]: r.namespace,
      [DEMO_SERVICE_ENV.name]: r.workload,
      [DEMO_SERVICE_ENV.pod]: r.pod,
      [DEMO_SERVICE_ENV.routes]: JSON.stringify(r.routes ?? []),
      [DEMO_SERVICE_ENV.parentPid]: parent(),
    } satisfies DemoServiceEnv,
  };
}

/** `$(NAME)` → the variable's value, as Kubernetes expands a container's command; `$$(NAME)` stays `$(NAME)`. */
export function expandVars(arg: string, env: Record<string, string>): string {
  return arg.replace(/\$?\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => {
    if (whole.startsWith('$$')) return whole.slice(1);
    return env[name] ?? whole;
  });
}

/**
 * A workload's own program. It learns its port from PORT (the workload's `port` in a pod; a free one otherwise)
 * and, without transparent interception, its outbound proxy from MESHVIZ_OUTBOUND_ADDR.
 */
export function programProcess(r: ReplicaPlan): ProcessSpec {
  const program = r.program;
  if (!program) throw new Error(`${r.namespace}/${r.pod} runs no program of its own`);
  const env: Record<string, string> = {
    ...program.env,
    PORT: String(r.appPort),
    MESHVIZ_NAMESPACE: r.namespace,
    MESHVIZ_POD: r.pod,
    ...(r.transparent ? {} : { MESHVIZ_OUTBOUND_ADDR: `${HOST}:${r.proxy.outbound}` }),
  };
  const [command, ...args] = program.command.map((a) => expandVars(a, env));
  return { name: `${r.namespace}/${r.pod}/app`, pod: podRef(r, 'app'), ...inPod(r, command!, args), cwd: program.cwd, env };
}

/** The load generator, or another client of the mesh file (the same program with its own targets and rate). */
export function loadgenProcess(r: ReplicaPlan, load: Load): ProcessSpec {
  return {
    name: `${r.namespace}/${r.pod}/app`,
    pod: podRef(r, 'app'),
    ...nodeIn(r, binPath('@meshviz/demo', 'meshviz-loadgen')),
    env: {
      [LOADGEN_ENV.config]: JSON.stringify(load),
      [LOADGEN_ENV.outboundAddr]: `${HOST}:${r.proxy.outbound}`,
      [LOADGEN_ENV.adminAddr]: `${bindHost(r)}:${r.appPort}`,
      [LOADGEN_ENV.parentPid]: parent(),
    } satisfies LoadgenEnv,
  };
}

export interface ApiTap {
  clientToken: string;
  proxyToken: string;
  targetsFile: string;
}

export function apiProcess(
  port: number,
  prometheusUrl: string,
  tap: ApiTap,
  trust: { anchorsFile: string; issuerCertFile: string },
  destinationsFile: string,
  configDir: string,
  podStatusFile: string,
): ProcessSpec {
  return {
    name: 'api',
    command: process.execPath,
    args: [binPath('@meshviz/api', 'meshviz-api')],
    env: {
      [API_ENV.listenAddr]: `${HOST}:${port}`,
      [API_ENV.prometheusUrl]: prometheusUrl,
      [API_ENV.parentPid]: parent(),
      [API_ENV.tapToken]: tap.clientToken,
      [API_ENV.proxyTapToken]: tap.proxyToken,
      [API_ENV.tapTargetsFile]: tap.targetsFile,
      [API_ENV.identityTrustAnchorsFile]: trust.anchorsFile,
      [API_ENV.identityIssuerCertFile]: trust.issuerCertFile,
      // The compiled table the control plane publishes: each route's configured timeouts, retries and split.
      [API_ENV.destinationsFile]: destinationsFile,
      // Where `meshviz rollout` records its rollouts: the dashboard follows them there.
      [API_ENV.rolloutsDir]: configDir,
      // Restarts of every pod's containers, which the runtime counts.
      [API_ENV.podStatusFile]: podStatusFile,
    } satisfies ApiEnv,
  };
}

export function webProcess(host: string, port: number, apiUrl: string): ProcessSpec {
  const dir = packageDir('@meshviz/web');
  if (!existsSync(path.join(dir, '.next', 'BUILD_ID'))) {
    throw new Error('the dashboard is not built (apps/web/.next is missing); run npm run build');
  }
  const nextBin = path.join(packageDir('next'), 'dist', 'bin', 'next');
  return {
    name: 'web',
    command: process.execPath,
    args: [nextBin, 'start', '--port', String(port), '--hostname', host],
    cwd: dir,
    env: { [WEB_ENV.apiUrl]: apiUrl, [NEXT_ENV.telemetryDisabled]: '1', [NEXT_ENV.nodeEnv]: 'production' } satisfies WebEnv,
  };
}
