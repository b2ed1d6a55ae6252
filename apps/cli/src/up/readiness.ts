import { readFile } from 'node:fs/promises';
import net from 'node:net';
import type { Readiness } from '@meshviz/mesh-types';

/** One probe: true when ready, null when not yet (a waitFor check). */
export type Probe = () => Promise<true | null>;

/** An HTTP GET answered 200..399, as Kubernetes' httpGet probe counts success. */
export function httpProbe(url: string): Probe {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 400 ? true : null;
  };
}

/** A TCP connection to host:port accepted. */
export function tcpProbe(host: string, port: number): Probe {
  return () =>
    new Promise((resolve) => {
      const socket = net.connect({ host, port });
      socket.setTimeout(2000);
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok ? true : null);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
    });
}

/** Ports in LISTEN state in a /proc/net/tcp{,6} table. */
export function listeningPorts(table: string): Set<number> {
  const ports = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // local_address is HEXIP:HEXPORT; st 0A is LISTEN.
    if (cols[3] === '0A' && cols[1]) ports.add(Number.parseInt(cols[1].split(':')[1] ?? '', 16));
  }
  return ports;
}

/**
 * Something listens on `port` in the network namespace of process `pid()`: what a TCP probe means inside a pod,
 * where a connection from outside would be accepted by the proxy whether the app listens or not.
 */
export function listenProbe(pid: () => number | undefined, port: number): Probe {
  return async () => {
    const p = pid();
    if (p === undefined) return null;
    const tables = await Promise.all(['tcp', 'tcp6'].map((t) => readFile(`/proc/${p}/net/${t}`, 'utf8').catch(() => '')));
    return tables.some((t) => listeningPorts(t).has(port)) ? true : null;
  };
}

/** The probe of a replica's app: its readiness from the mesh file, else the demo's /healthz. */
export function appProbe(
  r: { host: string; appPort: number; netns: string | null; program: { readiness: Readiness | null } | null },
  pid: () => number | undefined,
): Probe {
  // A program that serves nothing is ready once it runs.
  if (r.program && r.program.readiness === null) return async () => (pid() === undefined ? null : true);
  const readiness: Readiness = r.program?.readiness ?? { httpGet: { path: '/healthz' } };
  if ('httpGet' in readiness) return httpProbe(`http://${r.host}:${r.appPort}${readiness.httpGet.path}`);
  return r.netns ? listenProbe(pid, r.appPort) : tcpProbe(r.host, r.appPort);
}
