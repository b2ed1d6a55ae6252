import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TRUST_DOMAIN, type MeshFile, PROXY_UID } from '@meshviz/mesh-types';
import { PROXY_ENV, type ProxyEnv } from '@meshviz/proxy/env';
import { ensureTrustFiles } from '../identity/trust-dir.js';
import { apiProcess, binPath, loadgenProcess, programProcess, proxyProcess, serviceProcess, webProcess } from './components.js';
import { controlProcess, prepareRunIdentity, proxyIdentityEnv, writeWorkloadToken } from './identity.js';
import { LiveMesh, scrapeTargets, sdFileOf, tapTargets } from './live.js';
import { planMesh, type ReplicaPlan } from './plan.js';
import { PodStatusBook } from './pod-status.js';
import type { PodNetwork } from './pods/network.js';
import { applyInterception, findInitProgram, makePods, openPodNetwork, type PodsMode, podLayout, shareWithProxies } from './pods/setup.js';
import { allReplicas, checkPolicyFiles, clusterNetworksOf, policyWorkloads, proxyPolicyEnv } from './policy.js';
import { PortAllocator } from './ports.js';
import { type Supervised, Supervisor } from './processes.js';
import type { Progress } from './progress.js';
import {
  prometheusProcess,
  prometheusVersion,
  waitFor,
  waitForFirstScrape,
  writePrometheusFiles,
} from './prometheus.js';
import { appProbe } from './readiness.js';
import { runtimeSocketOf, serveRuntime } from './runtime-socket.js';

export interface UpOptions {
  mesh: MeshFile;
  meshFileName: string;
  /** Directory the mesh file's relative paths (a workload's cwd) start from. */
  baseDir: string;
  /** Pods (network namespaces): on, off, or auto (where the machine allows them). */
  pods: PodsMode;
  /** Where the pods' state files are kept (what each run made, so a killed run's leftovers are found). */
  podsStateDir: string;
  /** Directory of the mesh's policy resources (YAML), watched by the control plane while the mesh runs. */
  policyDir: string;
  host: string;
  /** Dashboard port; 0 picks a free one. */
  port: number;
  prometheusBin: string;
  scrapeIntervalSeconds: number;
  stateFile: string | undefined;
  /** The trust directory (anchor and issuer); made on first use. */
  identityDir: string;
  progress: Progress;
  /** Aborting (Ctrl-C while starting) stops whatever was started and rejects with an "interrupted" error. */
  signal?: AbortSignal;
}

export class InterruptedError extends Error {}

export interface RunningMesh {
  dashboardUrl: string;
  /** Bearer token for tapping through the API (`meshviz tap`, the dashboard's Tap page). */
  tapToken: string;
  apiUrl: string;
  prometheusUrl: string;
  loadgenUrl: string | null;
  /** Admin URL (/healthz, /counts) of each other client of the mesh file, by `<namespace>/<name>`. */
  clientUrls: Record<string, string>;
  runDir: string;
  stop(): Promise<void>;
  /** Resolves with a reason when a component exits by itself. */
  failed: Promise<string>;
}

async function httpOk(url: string): Promise<true | null> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  return res.ok ? true : null;
}

async function tail(file: string, lines = 8): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Starts Prometheus, every replica with its proxy, the load generator, the API and the dashboard. */
export async function up(o: UpOptions): Promise<RunningMesh> {
  const { progress } = o;
  const ports = new PortAllocator();
  const dashboardPort = await ports.fixed(o.port, 'dashboard', 'choose another with --port <n> or MESHVIZ_PORT');
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-'));
  const logDir = path.join(runDir, 'logs');
  await mkdir(logDir);
  progress.step(`files and logs of this run: ${runDir}`);
  let reportFailure: (reason: string) => void = () => {};
  const failed = new Promise<string>((resolve) => {
    reportFailure = resolve;
  });
  const podStatusFile = path.join(runDir, 'pod-status.json');
  const podStatus = new PodStatusBook(podStatusFile);
  await podStatus.write();
  const supervisor = new Supervisor(logDir, {
    onRestart: (p: Supervised, delayMs, crashLoop) => {
      void podStatus.restarted(p, crashLoop);
      const what = `${p.spec.name} exited (${p.lastExit}); starting it again in ${delayMs / 1000}s (restart ${p.restarts})`;
      if (!crashLoop) {
        progress.step(what);
        return;
      }
      void tail(p.logFile, 4).then((t) =>
        progress.fail(`${p.spec.name} is crash-looping (CrashLoopBackOff): ${p.quickExits} quick exits in a row; ${what}; last lines of ${p.logFile}:\n${t}`),
      );
    },
    onFatal: (p: Supervised) => {
      void tail(p.logFile).then((t) =>
        reportFailure(`${p.spec.name} exited ${p.quickExits} times in a row (last: ${p.lastExit}); last lines of ${p.logFile}:\n${t}`),
      );
    },
  });
  let network: PodNetwork | null = null;
  let runtimeServer: { close(): Promise<void> } | null = null;
  const stop = async () => {
    await runtimeServer?.close();
    await supervisor.stopAll();
    network?.remove();
    await rm(runDir, { recursive: true, force: true });
  };

  const interrupted = new Promise<never>((_, reject) => {
    const fire = () => reject(new InterruptedError('interrupted'));
    if (o.signal?.aborted) fire();
    o.signal?.addEventListener('abort', fire, { once: true });
  });
  interrupted.catch(() => {});
  // The interruption first: when it came before a wait began, that wait fails at once too, and must not win.
  const orStop = <T>(p: Promise<T>) => Promise.race([interrupted, p]);
  try {
    network = await openPodNetwork(o.pods, o.podsStateDir, runDir, progress);
    const init = network ? findInitProgram(binPath) : null;
    if (network && !init) progress.step('pods: meshviz-proxy-init is not installed: no transparent interception, apps address the proxy in their pod');
    const plan = await planMesh(o.mesh, ports, { baseDir: o.baseDir, ...(network ? { layout: podLayout(network, init !== null) } : {}) });
    if (network) {
      await makePods(network, plan);
      if (init) for (const r of allReplicas(plan)) await applyInterception(init, r);
      progress.done(
        `pods: ${allReplicas(plan).length} network namespaces on bridge ${network.bridge} (gateway ${network.gateway}), services at virtual addresses named in each pod's hosts file${init ? ', traffic intercepted by iptables' : ''}`,
      );
    }
    const controlHost = network?.gateway ?? '127.0.0.1';
    for (const r of allReplicas(plan)) podStatus.add({ namespace: r.namespace, deployment: r.workload, pod: r.pod });
    await podStatus.write();
    const workloads = new Set(plan.replicas.map((r) => `${r.namespace}/${r.workload}`));
    progress.done(
      `mesh file ${o.meshFileName}: ${workloads.size} workloads, ${plan.replicas.length} replicas in ${o.mesh.namespaces.length} namespaces`,
    );

    const { created } = await ensureTrustFiles(o.identityDir, DEFAULT_TRUST_DOMAIN);
    progress.done(`${created ? 'made a new trust anchor and issuer in' : 'trust anchor and issuer from'} ${o.identityDir}`);
    const identity = await prepareRunIdentity(runDir, o.identityDir);
    const workloadsForPolicy = policyWorkloads(o.mesh, identity.trustDomain);
    // A mesh without policy resources: the control plane watches an empty directory of the run instead.
    const policyDir = existsSync(o.policyDir) ? o.policyDir : path.join(runDir, 'policy');
    await mkdir(policyDir, { recursive: true });
    const policyCheck = await checkPolicyFiles(policyDir, workloadsForPolicy, plan.destinations);
    for (const warning of policyCheck.warnings) progress.step(`policy warning: ${warning}`);
    const workloadsFile = path.join(runDir, 'policy-workloads.json');
    await writeFile(workloadsFile, JSON.stringify(workloadsForPolicy, null, 2));
    // Discovery: services and endpoints; the control plane compiles the config directory's routes into it.
    const destinationsFile = path.join(runDir, 'destinations.json');
    await writeFile(destinationsFile, JSON.stringify(plan.destinations, null, 2));
    const compiledDestinationsFile = path.join(runDir, 'destinations-compiled.json');
    const controlPorts = { identity: await ports.next(), admin: await ports.next(), policy: await ports.next(), destination: await ports.next() };
    supervisor.start(
      controlProcess(identity, controlPorts, { workloadsFile, dir: policyDir, destinationsFile, compiledDestinationsFile }, String(process.pid), controlHost),
    );

    const promPort = await ports.next();
    const prometheusUrl = `http://127.0.0.1:${promPort}`;
    const control = { host: controlHost, adminPort: controlPorts.admin };
    const targets = scrapeTargets(allReplicas(plan), control);
    const configFile = await writePrometheusFiles(runDir, targets, o.scrapeIntervalSeconds);
    supervisor.start(prometheusProcess(o.prometheusBin, configFile, path.join(runDir, 'prometheus-data'), promPort));

    // Two credentials: one for people and tools that tap through the API, one for the API towards the proxies.
    const tapToken = randomBytes(24).toString('base64url');
    const proxyTapToken = randomBytes(24).toString('base64url');
    const tapTargetsFile = path.join(runDir, 'tap-targets.json');
    await writeFile(tapTargetsFile, JSON.stringify(tapTargets(allReplicas(plan)), null, 2), { mode: 0o600 });
    await orStop(waitFor('the identity service', 30_000, () => httpOk(`http://${controlHost}:${controlPorts.admin}/ready`), o.signal));
    progress.done(`identity service on ${controlHost}:${controlPorts.identity}: every proxy gets a certificate for its workload`);
    progress.done(
      `policy and destination services on ${controlHost}:${controlPorts.policy} and :${controlPorts.destination}: ${policyCheck.resources} resources from ${policyDir} (watched), default inbound policy ${o.mesh.policy.defaultInboundPolicy}`,
    );
    const identityAddr = `${controlHost}:${controlPorts.identity}`;
    const streams = { policy: `${controlHost}:${controlPorts.policy}`, destination: `${controlHost}:${controlPorts.destination}` };
    const clusterNetworks = clusterNetworksOf(o.mesh);
    // The proxies run as their own user in pods: they must be able to read their files.
    const proxyAnchors = network
      ? await shareWithProxies(runDir, { destinations: destinationsFile, tokenDir: identity.tokenDir, anchors: identity.anchorsFile })
      : null;
    const identityEnv = async (r: ReplicaPlan): Promise<ProxyEnv> => {
      const token = await writeWorkloadToken(identity, r.identity);
      if (network) await chown(token, PROXY_UID, PROXY_UID);
      return {
        ...proxyIdentityEnv(identity, r, token, identityAddr),
        ...proxyPolicyEnv(r, streams, identity.trustDomain, clusterNetworks),
        ...(proxyAnchors ? { [PROXY_ENV.identityTrustAnchorsFile]: proxyAnchors } : {}),
      };
    };
    const apps = new Map<ReplicaPlan, Supervised>();
    for (const r of plan.replicas) {
      supervisor.start(proxyProcess(r, destinationsFile, proxyTapToken, await identityEnv(r)));
      apps.set(r, supervisor.start(r.program ? programProcess(r) : serviceProcess(r)));
    }
    await orStop(Promise.all(
      plan.replicas.flatMap((r) => [
        waitFor(`${r.namespace}/${r.pod} proxy`, 30_000, () => httpOk(`http://${r.host}:${r.proxy.admin}/ready`), o.signal),
        waitFor(`${r.namespace}/${r.pod} app`, 30_000, appProbe(r, () => apps.get(r)?.child.pid), o.signal),
      ]),
    ));
    for (const w of workloads) {
      const n = plan.replicas.filter((r) => `${r.namespace}/${r.workload}` === w).length;
      progress.done(`${w}: ${n} ${n === 1 ? 'replica' : 'replicas'}, each beside its own proxy`);
    }

    await orStop(waitFor('Prometheus', 30_000, () => httpOk(`${prometheusUrl}/-/ready`), o.signal));
    progress.done(`prometheus ${prometheusVersion(o.prometheusBin)} on ${prometheusUrl}`);

    const apiPort = await ports.next();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    supervisor.start(
      apiProcess(
        apiPort,
        prometheusUrl,
        { clientToken: tapToken, proxyToken: proxyTapToken, targetsFile: tapTargetsFile },
        { anchorsFile: identity.anchorsFile, issuerCertFile: identity.issuerCertFile },
        compiledDestinationsFile,
        o.policyDir,
        podStatusFile,
      ),
    );
    supervisor.start(webProcess(o.host, dashboardPort, apiUrl));

    let loadgenUrl: string | null = null;
    if (plan.loadgen && o.mesh.load) {
      const lg = plan.loadgen;
      supervisor.start(proxyProcess(lg, destinationsFile, proxyTapToken, await identityEnv(lg)));
      await orStop(waitFor('load generator proxy', 30_000, () => httpOk(`http://${lg.host}:${lg.proxy.admin}/ready`), o.signal));
      supervisor.start(loadgenProcess(lg, o.mesh.load));
      loadgenUrl = `http://${lg.host}:${lg.appPort}`;
      await orStop(waitFor('load generator', 30_000, () => httpOk(`${loadgenUrl}/healthz`), o.signal));
      progress.done(`load generator ${lg.namespace}/${lg.workload}: ${o.mesh.load.rate} requests/s`);
    }
    const clientUrls: Record<string, string> = {};
    for (const [i, c] of plan.clients.entries()) {
      const spec = o.mesh.clients[i]!;
      supervisor.start(proxyProcess(c, destinationsFile, proxyTapToken, await identityEnv(c)));
      await orStop(waitFor(`${c.namespace}/${c.workload} proxy`, 30_000, () => httpOk(`http://${c.host}:${c.proxy.admin}/ready`), o.signal));
      const load = { namespace: spec.namespace, name: spec.name, rate: spec.rate, targets: spec.targets };
      supervisor.start(loadgenProcess(c, load));
      clientUrls[`${c.namespace}/${c.workload}`] = `http://${c.host}:${c.appPort}`;
      await orStop(waitFor(`${c.namespace}/${c.workload}`, 30_000, () => httpOk(`http://${c.host}:${c.appPort}/healthz`), o.signal));
      progress.done(`client ${c.namespace}/${c.workload}: ${spec.rate} requests/s to ${spec.targets.map((t) => t.service).join(', ')}`);
    }

    await orStop(waitFor('the API', 30_000, () => httpOk(`${apiUrl}/api/v1/healthz`), o.signal));
    progress.done(`api on ${apiUrl}`);
    const hostForUrl = o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
    const dashboardUrl = `http://${hostForUrl}:${dashboardPort}`;
    await orStop(waitFor('the dashboard', 60_000, () => httpOk(`${dashboardUrl}/api/v1/healthz`), o.signal));
    progress.done('dashboard started');

    progress.step('waiting for the first scrape of every proxy');
    await Promise.race([
      waitForFirstScrape(prometheusUrl, targets.length, 60_000, o.signal),
      failed.then((reason) => Promise.reject(new Error(reason))),
      interrupted,
    ]);
    progress.done(`first scrape seen: ${targets.length - 1}/${targets.length - 1} proxies and the control plane up`);

    const live = new LiveMesh({
      mesh: o.mesh,
      plan,
      policy: workloadsForPolicy,
      ports,
      network,
      init,
      supervisor,
      podStatus,
      control,
      files: { destinations: destinationsFile, workloads: workloadsFile, scrapeTargets: sdFileOf(runDir), tapTargets: tapTargetsFile },
      proxyTapToken,
      meshEnv: identityEnv,
    });
    runtimeServer = await serveRuntime(runtimeSocketOf(runDir), live, progress);
    const running: RunningMesh = { dashboardUrl, tapToken, apiUrl, prometheusUrl, loadgenUrl, clientUrls, runDir, stop, failed };
    if (o.stateFile) {
      const { stop: _s, failed: _f, ...state } = running;
      await writeFile(o.stateFile, JSON.stringify({ ...state, pid: process.pid }, null, 2), { mode: 0o600 });
    }
    return running;
  } catch (err) {
    await stop();
    throw err;
  }
}
