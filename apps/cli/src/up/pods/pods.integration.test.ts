import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TopologyResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../../config.js';
import { type SpawnedMesh, spawnUp } from '../../testing/spawn-up.js';
import { hasNetAdmin } from './host.js';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'main.js');

const tool = (bin: string) => {
  try {
    execFileSync(bin, ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const canPods = process.platform === 'linux' && hasNetAdmin() && tool('ip') && tool('iptables');
const hasPython = (() => {
  try {
    execFileSync('python3', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skipReason = !canPods
  ? 'pods need Linux, root or CAP_NET_ADMIN, ip and iptables'
  : !hasPython
    ? 'these pods run python3 -m http.server, and python3 is not installed'
    : '';

const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
const namespacesOf = (meshId: string) =>
  ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`mvz-${meshId}-`));
const linksOf = (meshId: string) =>
  ip('-o', 'link', 'show')
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter((n) => n.startsWith(`mvz${meshId}`));
const pidsIn = (netns: string) => ip('netns', 'pids', netns).split(/\s+/).filter(Boolean).map(Number);
/** Running: the process exists and is not a zombie waiting to be reaped. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
/** The processes of `pids` still running after a moment (a SIGKILL is delivered asynchronously). */
const survivors = async (pids: number[]) => {
  for (let i = 0; i < 20 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
};
const meshIdOf = (output: string) => /on bridge mvz([0-9a-f]{6})/.exec(output)?.[1] ?? null;

/** A plain TCP echo server on $PORT (no HTTP): what comes in goes back out. */
const ECHO_SERVER = [
  'import os, socketserver',
  'class E(socketserver.BaseRequestHandler):',
  '  def handle(self):',
  '    while (b := self.request.recv(65536)): self.request.sendall(b)',
  'socketserver.ThreadingTCPServer.allow_reuse_address = True',
  'socketserver.ThreadingTCPServer(("0.0.0.0", int(os.environ["PORT"])), E).serve_forever()',
].join('\n');

/** A TCP client: sends 256 KiB of random bytes to echo.shop:7007 and prints whether all came back unchanged. */
const ECHO_CLIENT = [
  'import os, socket',
  'data = os.urandom(256 * 1024)',
  's = socket.create_connection(("echo.shop", 7007), timeout=10)',
  's.sendall(data); s.shutdown(socket.SHUT_WR)',
  'got = b""',
  'while (b := s.recv(65536)): got += b',
  'print("same" if got == data else f"differs: {len(got)} of {len(data)} bytes")',
].join('\n');

/** Ordinary programs that know nothing of meshviz: a file server with two replicas, a client, a TCP echo server. */
const MESH = [
  'namespaces:',
  '  - name: shop',
  '    workloads:',
  '      - name: files',
  '        replicas: 2',
  '        command: [python3, -m, http.server, "$(PORT)"]',
  '        port: 8000',
  '        readiness: { httpGet: { path: / } }',
  '      - name: client',
  '        command: [python3, -m, http.server, "$(PORT)"]',
  '        port: 7000',
  '      - name: echo',
  `        command: [python3, -c, ${JSON.stringify(ECHO_SERVER)}]`,
  '        port: 7007',
  '',
].join('\n');

describe.skipIf(skipReason !== '')(`meshviz up --pods on (root only${skipReason ? `; skipped: ${skipReason}` : ''})`, () => {
  let dir: string;
  let meshFile: string;
  let mesh: SpawnedMesh;
  let meshId: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-pods-test-'));
    meshFile = path.join(dir, 'mesh.yaml');
    await writeFile(meshFile, MESH);
    mesh = await spawnUp(['-f', meshFile, '--pods', 'on', '--scrape-interval', '1s'], 150_000);
    meshId = meshIdOf(mesh.output())!;
  }, 180_000);
  afterAll(async () => {
    await mesh?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every replica in its own network namespace on the bridge, proxy beside it', () => {
    expect(meshId, mesh.output()).not.toBeNull();
    expect(namespacesOf(meshId).sort()).toEqual(['client-0', 'echo-0', 'files-0', 'files-1'].map((p) => `mvz-${meshId}-shop-${p}`));
    expect(linksOf(meshId)).toContain(`mvz${meshId}`);
    // Two processes in each pod: the app and its proxy, the proxy as its own user.
    for (const ns of namespacesOf(meshId)) {
      const pids = pidsIn(ns);
      expect(pids.length, ns).toBe(2);
      const uids = pids.map((p) => execFileSync('ps', ['-o', 'uid=', '-p', String(p)], { encoding: 'utf8' }).trim()).sort();
      expect(uids).toEqual(['0', '2102']);
    }
  });

  it('lets an unmodified client in one pod reach a service by name, through both proxies, with both identities in metrics', async () => {
    const client = `mvz-${meshId}-shop-client-0`;
    const call = () =>
      execFileSync('ip', ['netns', 'exec', client, 'python3', '-c', 'import urllib.request as u; print(u.urlopen("http://files.shop.svc.cluster.local:8000/").status)'], {
        encoding: 'utf8',
      }).trim();
    for (let i = 0; i < 5; i++) expect(call()).toBe('200');
    expect(execFileSync('ip', ['netns', 'exec', client, 'python3', '-c', 'import urllib.request as u; print(u.urlopen("http://files:8000/").status)'], { encoding: 'utf8' }).trim()).toBe('200');
    const id = (sa: string) => `${sa}.shop.serviceaccount.identity.meshviz.cluster.local`;
    const deadline = Date.now() + 30_000;
    let edge: TopologyResponse['edges'][number] | undefined;
    while (Date.now() < deadline) {
      // Rates need traffic over more than one scrape: keep calling while waiting for the edge.
      for (let i = 0; i < 3; i++) expect(call()).toBe('200');
      const topo = TopologyResponse.parse(await (await fetch(`${mesh.apiUrl}/api/v1/topology?namespace=shop&window=1m`)).json());
      edge = topo.edges.find((e) => e.id === 'deployment/shop/client->service/shop/files');
      if (edge?.clientId && edge.serverId) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(edge).toMatchObject({ secured: true, clientId: id('client'), serverId: id('files') });
  }, 60_000);

  it('meshviz run adds a program as a pod that others reach by name, and takes it out when it ends', async () => {
    const run = spawn(process.execPath, [MAIN, 'run', '-n', 'shop', '--name', 'extra', '-p', '9000', '--', 'python3', '-m', 'http.server', '$(PORT)'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir,
      env: childEnv({ HOME: mesh.home }),
    });
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (c: Buffer) => {
        out += c.toString();
        if (out.includes('is in the mesh at')) resolve();
      };
      run.stdout.on('data', onData);
      run.stderr.on('data', onData);
      run.once('exit', (code) => reject(new Error(`meshviz run exited with ${code}: ${out}`)));
    });
    await ready;
    expect(out).toMatch(/meshviz run: shop\/extra-0 is in the mesh at 10\.233\.\d+\.\d+:9000/);
    const extra = `mvz-${meshId}-shop-extra-0`;
    expect(namespacesOf(meshId)).toContain(extra);
    const client = `mvz-${meshId}-shop-client-0`;
    const status = execFileSync('ip', ['netns', 'exec', client, 'python3', '-c', 'import urllib.request as u; print(u.urlopen("http://extra.shop:9000/").status)'], { encoding: 'utf8' });
    expect(status.trim()).toBe('200');
    const exited = new Promise<number | null>((r) => run.once('exit', r));
    run.kill('SIGINT');
    expect(await exited, out).toBe(0);
    expect(out).toMatch(/shop\/extra is out of the mesh/);
    expect(namespacesOf(meshId)).not.toContain(extra);
    // The fifth pod's veth (mvz<id>v4) goes with it.
    expect(linksOf(meshId)).not.toContain(`mvz${meshId}v4`);
    expect(mesh.output()).toMatch(/meshviz run: adding shop\/extra/);
    expect(mesh.child.exitCode).toBeNull();
  }, 90_000);

  it('starts a killed app again in its own pod, where callers reach it at its pod address as before', async () => {
    const pod = `mvz-${meshId}-shop-files-0`;
    const processes = () =>
      pidsIn(pod).map((p) => {
        try {
          return execFileSync('ps', ['-o', 'pid=,uid=,args=', '-p', String(p)], { encoding: 'utf8' }).trim();
        } catch {
          return `${p} (gone)`;
        }
      });
    // The app runs as root here, its proxy as 2102.
    const apps = () => processes().filter((l) => / 0 /.test(` ${l.split(/\s+/)[1]} `) && l.includes('http.server'));
    const app = Number(apps()[0]?.split(/\s+/)[0]);
    expect(app, processes().join('\n')).toBeGreaterThan(0);
    process.kill(app, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(apps().length === 1 && !apps()[0]!.startsWith(`${app} `))) await new Promise((r) => setTimeout(r, 200));
    expect(apps().length, processes().join('\n')).toBe(1);
    expect(apps()[0]!.startsWith(`${app} `)).toBe(false);
    expect(mesh.output()).toMatch(/shop\/files-0\/app exited \(SIGKILL\); starting it again in 1s \(restart 1\)/);
    const podIp = /inet (10\.233\.\d+\.\d+)\//.exec(ip('-n', pod, '-4', 'addr', 'show', 'eth0'))![1]!;
    const client = `mvz-${meshId}-shop-client-0`;
    const get = `import urllib.request as u, time
for i in range(50):
  try:
    print(u.urlopen("http://${podIp}:8000/").status); break
  except Exception: time.sleep(0.2)`;
    expect(execFileSync('ip', ['netns', 'exec', client, 'python3', '-c', get], { encoding: 'utf8' }).trim()).toBe('200');
  }, 40_000);

  it('passes opaque TCP through both proxies with mTLS, every byte unchanged', async () => {
    const client = `mvz-${meshId}-shop-client-0`;
    expect(execFileSync('ip', ['netns', 'exec', client, 'python3', '-c', ECHO_CLIENT], { encoding: 'utf8' }).trim()).toBe('same');
    // The client's proxy opened the connection to the echo pod with mTLS, naming the echo's identity.
    const metrics = execFileSync('ip', ['netns', 'exec', client, 'python3', '-c', 'import urllib.request as u; print(u.urlopen("http://127.0.0.1:4191/metrics").read().decode())'], {
      encoding: 'utf8',
    });
    expect(metrics).toMatch(/tcp_open_total\{direction="outbound",peer="dst",tls="true",server_id="echo\.shop\.serviceaccount\.identity\.meshviz\.cluster\.local",[^}]*dst_service="echo"/);
  }, 30_000);

  it('stops every process and removes every namespace, link and hosts file on Ctrl-C', async () => {
    const namespaces = namespacesOf(meshId);
    const pids = namespaces.flatMap(pidsIn);
    expect(pids.length).toBe(8);
    const exited = new Promise<number | null>((r) => mesh.child.once('exit', r));
    mesh.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(namespacesOf(meshId)).toEqual([]);
    expect(linksOf(meshId)).toEqual([]);
    for (const ns of namespaces) expect(existsSync(path.join('/etc/netns', ns))).toBe(false);
    expect(await survivors(pids)).toEqual([]);
  }, 30_000);
});

describe.skipIf(skipReason !== '')(`meshviz up --pods on after a kill -9 (root only${skipReason ? `; skipped: ${skipReason}` : ''})`, () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-pods-kill-'));
    await writeFile(path.join(dir, 'mesh.yaml'), MESH.split('      - name: client')[0]!);
  });
  afterAll(async () => {
    // A run still going (a failed expectation) is stopped as a user would, so it removes its pods.
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null && !c.killed);
    await Promise.all(running.map((c) => new Promise((r) => c.once('exit', r).kill('SIGINT'))));
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  /** `meshviz up` with this test's own HOME (its state directory), until `until` shows in its output. */
  const start = (until: RegExp) => {
    const child = spawn(process.execPath, [MAIN, 'up', '-f', path.join(dir, 'mesh.yaml'), '--pods', 'on', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv({ HOME: dir, MESHVIZ_HOME: path.join(dir, '.meshviz') }),
    });
    children.push(child);
    let out = '';
    return new Promise<{ child: ChildProcess; output: () => string }>((resolve, reject) => {
      const onData = (c: Buffer) => {
        out += c.toString();
        if (until.test(out)) resolve({ child, output: () => out });
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`meshviz up exited with ${code}:\n${out}`)));
    });
  };

  it('finds and removes what the killed run left: namespaces, bridge and the processes in its pods', async () => {
    const first = await start(/files: 2 replicas/);
    const meshId = meshIdOf(first.output())!;
    const pods = namespacesOf(meshId);
    expect(pods.length).toBe(2);
    const pids = pods.flatMap(pidsIn);
    const died = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await died;
    // kill -9 leaves the network behind; the pods' programs die with their parent.
    expect(namespacesOf(meshId).length).toBe(2);
    expect(linksOf(meshId)).toContain(`mvz${meshId}`);

    const second = await start(/on bridge mvz/);
    expect(second.output()).toMatch(new RegExp(`removed what a stopped meshviz up \\(pid ${first.child.pid}\\) left: 2 network namespaces, bridge mvz${meshId}`));
    expect(namespacesOf(meshId)).toEqual([]);
    expect(linksOf(meshId)).toEqual([]);
    expect(await survivors(pids)).toEqual([]);
    // Its run directory (logs, discovery, tokens) too.
    const firstRunDir = /files and logs of this run: (\S+)/.exec(first.output())?.[1];
    expect(firstRunDir).toBeDefined();
    expect(existsSync(firstRunDir!)).toBe(false);
    const secondId = meshIdOf(second.output())!;
    const exited = new Promise<number | null>((r) => second.child.once('exit', r));
    second.child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(namespacesOf(secondId)).toEqual([]);
    expect(linksOf(secondId)).toEqual([]);
  }, 120_000);
});

describe.skipIf(process.platform !== 'linux' || !tool('setpriv'))('meshviz up without CAP_NET_ADMIN', () => {
  const withoutNetAdmin = (args: string[], onOutput?: (out: string, child: ChildProcess) => void) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      // setpriv drops CAP_NET_ADMIN from the bounding set: even root cannot make network namespaces then.
      const child = spawn('setpriv', ['--bounding-set', '-net_admin', '--inh-caps', '-net_admin', process.execPath, MAIN, 'up', '--demo', '--port', '0', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: childEnv({ HOME: os.tmpdir() }),
      });
      let out = '';
      const onData = (c: Buffer) => {
        out += c.toString();
        onOutput?.(out, child);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => resolve({ code, out }));
    });

  it('--pods on refuses to start, saying why', async () => {
    const { code, out } = await withoutNetAdmin(['--pods', 'on']);
    expect(code).toBe(1);
    expect(out).toMatch(/--pods=on: network namespaces need root or CAP_NET_ADMIN/);
  });

  it('--pods auto falls back to explicit proxies with one line saying why', async () => {
    const { code, out } = await withoutNetAdmin(['--pods', 'auto'], (text, child) => {
      if (text.includes('replicas, each beside') && !child.killed) child.kill('SIGINT');
    });
    expect(out.match(/pods: off/g)?.length).toBe(1);
    expect(out).toMatch(/pods: off \(network namespaces need root or CAP_NET_ADMIN\); every replica runs on this machine's loopback/);
    expect(code, out).toBe(130);
  }, 90_000);
});
