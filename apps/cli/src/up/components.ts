import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Load, PROXY_UID } from '@meshviz/mesh-types';
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

/** The JS file behind one of a package's bins; it must have been built. */
export function binPath(pkg: string, bin: string): string {
  const dir = packageDir(pkg);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const rel = manifest.bin?.[bin];
  if (!rel) throw new Error(`package ${pkg} has no bin ${bin}`);
  const file = path.join(dir, rel);
  if (!existsSync(file)) throw new Error(`${pkg} is not built (${bin} is missing); run npm run build`);
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
export function inPod(r: Pick<ReplicaPlan, 'netns'>, command: string, args: string[], uid?: number): { command: string; args: string[] } {
  const ids = uid === undefined ? [] : ['--reuid', String(uid), '--regid', String(uid), '--clear-groups'];
  const guarded = ['setpriv', ...ids, '--pdeathsig', 'KILL', '--', command, ...args];
  if (r.netns) return { command: 'ip', args: ['netns', 'exec', r.netns, ...guarded] };
  return { command: guarded[0]!, args: guarded.slice(1) };
}

export function proxyProcess(
  r: ReplicaPlan,
  destinationsFile: string,
  tapToken: string,
  meshEnv: Record<string, string>,
): ProcessSpec {
  const bind = bindHost(r);
  const proxyBin = binPath('@meshviz/proxy', 'meshviz-proxy');
  return {
    name: `${r.namespace}/${r.pod}/proxy`,
    pod: podRef(r, 'proxy'),
    // In a pod the proxy runs as its own user, whose connections the interception rules leave alone.
    ...(r.netns ? inPod(r, process.execPath, [proxyBin], PROXY_UID) : { command: process.execPath, args: [proxyBin] }),
    env: {
      PROXY_INBOUND_LISTEN_ADDR: `${bind}:${r.proxy.inbound}`,
      PROXY_INBOUND_FORWARD_ADDR: `${HOST}:${r.appPort}`,
      PROXY_OUTBOUND_LISTEN_ADDR: `${HOST}:${r.proxy.outbound}`,
      PROXY_ADMIN_LISTEN_ADDR: `${bind}:${r.proxy.admin}`,
      PROXY_TAP_LISTEN_ADDR: `${bind}:${r.proxy.tap}`,
      PROXY_DESTINATIONS_FILE: destinationsFile,
      PROXY_INBOUND_ROUTES: JSON.stringify(routeTable(r.routes ?? [])),
      PROXY_SHUTDOWN_GRACE_PERIOD: '2s',
      PROXY_TAP_TOKEN: tapToken,
      PROXY_NAMESPACE: r.namespace,
      PROXY_DEPLOYMENT: r.workload,
      PROXY_POD: r.pod,
      PROXY_PARENT_PID: parent(),
      ...(r.transparent ? { PROXY_INTERCEPTION: 'transparent' } : {}),
      ...meshEnv,
    },
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
      DEMO_SERVICE_LISTEN_ADDR: `${bindHost(r)}:${r.appPort}`,
      DEMO_SERVICE_OUTBOUND_ADDR: `${HOST}:${r.proxy.outbound}`,
      DEMO_SERVICE_NAMESPACE: r.namespace,
      DEMO_SERVICE_NAME: r.workload,
      DEMO_SERVICE_POD: r.pod,
      DEMO_SERVICE_ROUTES: JSON.stringify(r.routes ?? []),
      DEMO_PARENT_PID: parent(),
    },
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
      LOADGEN_CONFIG: JSON.stringify(load),
      LOADGEN_OUTBOUND_ADDR: `${HOST}:${r.proxy.outbound}`,
      LOADGEN_ADMIN_ADDR: `${bindHost(r)}:${r.appPort}`,
      LOADGEN_PARENT_PID: parent(),
    },
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
      API_LISTEN_ADDR: `${HOST}:${port}`,
      API_PROMETHEUS_URL: prometheusUrl,
      API_PARENT_PID: parent(),
      API_TAP_TOKEN: tap.clientToken,
      API_PROXY_TAP_TOKEN: tap.proxyToken,
      API_TAP_TARGETS_FILE: tap.targetsFile,
      API_IDENTITY_TRUST_ANCHORS_FILE: trust.anchorsFile,
      API_IDENTITY_ISSUER_CERT_FILE: trust.issuerCertFile,
      // The compiled table the control plane publishes: each route's configured timeouts, retries and split.
      API_DESTINATIONS_FILE: destinationsFile,
      // Where `meshviz rollout` records its rollouts: the dashboard follows them there.
      API_ROLLOUTS_DIR: configDir,
      // Restarts of every pod's containers, which the runtime counts.
      API_POD_STATUS_FILE: podStatusFile,
    },
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
    env: { MESHVIZ_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  };
}
