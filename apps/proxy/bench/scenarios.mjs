// The setups compared: the backend alone, one proxy, two proxies (outbound → inbound), HAProxy, and a bare Node
// byte relay (the floor Node's own socket I/O sets).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_CPU } from './load.mjs';
import { freePort, startPinned, waitForPort } from './processes.mjs';

/** Proxies under test run here, away from the load generator and backend. */
export const PROXY_CPU = 1;
const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const RELAY = fileURLToPath(new URL('./node-relay.mjs', import.meta.url));
export const SERVICE = 'backend.bench.svc.cluster.local';

/**
 * HAProxy as the backend: it answers 200 "ok" from memory, speaks HTTP/1.1 and HTTP/2 (prior knowledge is
 * detected) on one port, and costs so little CPU that it disturbs the load generator's core the least.
 */
function backendConfig(port) {
  return `global
  nbthread 1
defaults
  mode http
  timeout client 30s
  timeout server 30s
  timeout connect 5s
frontend backend
  bind 127.0.0.1:${port}
  http-request return status 200 content-type text/plain string "ok"
`;
}

/** HAProxy as the reference proxy: one thread, keep-alive and connection reuse, protocol mirrored like ours. */
function referenceConfig(h1Port, h2Port, backendPort) {
  return `global
  nbthread 1
defaults
  mode http
  timeout client 30s
  timeout server 30s
  timeout connect 5s
  http-reuse always
frontend h1
  bind 127.0.0.1:${h1Port}
  default_backend h1
frontend h2
  bind 127.0.0.1:${h2Port} proto h2
  default_backend h2
backend h1
  server backend 127.0.0.1:${backendPort}
backend h2
  server backend 127.0.0.1:${backendPort} proto h2
`;
}

export async function haproxy(name, cpu, config, ports) {
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const proc = await startPinned(name, cpu, 'haproxy', ['-f', file, '-db']);
  for (const port of ports) await waitForPort(port);
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { ...proc, stop };
}

/** Starts one meshviz proxy on the proxy CPU; resolves with its bound addresses once it logs "proxy ready". */
export async function meshvizProxy(name, env) {
  let addresses;
  const proc = await startPinned(name, PROXY_CPU, process.execPath, [BIN], {
    env: {
      PROXY_INBOUND_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_OUTBOUND_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_ADMIN_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_TAP_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_LOG_LEVEL: 'info',
      ...env,
    },
    ready: (line) => {
      if (!line.includes('"proxy ready"')) return false;
      addresses = JSON.parse(line).addresses;
      return true;
    },
  });
  return { ...proc, addresses };
}

export async function startBackend() {
  const port = await freePort();
  const proc = await haproxy('backend', LOAD_CPU, backendConfig(port), [port]);
  return { ...proc, addr: `127.0.0.1:${port}` };
}

/**
 * Each scenario starts its processes and says where clients connect for HTTP/1.1 and HTTP/2, which Host to
 * send, and which pids are "the proxy" whose CPU and memory count.
 */
export const SCENARIOS = {
  direct: async (backend) => ({ h1: backend.addr, h2: backend.addr, host: 'backend', measured: [], stop: async () => {} }),

  proxy: async (backend) => {
    const inbound = await meshvizProxy('inbound', { PROXY_INBOUND_FORWARD_ADDR: backend.addr });
    const { addresses } = inbound;
    return { h1: addresses.inbound, h2: addresses.inbound, host: SERVICE, measured: [inbound.pid], stop: inbound.stop };
  },

  'two-proxies': async (backend) => {
    const inbound = await meshvizProxy('inbound', { PROXY_INBOUND_FORWARD_ADDR: backend.addr });
    const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-'));
    const file = join(dir, 'destinations.json');
    const endpoint = { addr: inbound.addresses.inbound, namespace: 'bench', deployment: 'backend', pod: 'backend-0' };
    writeFileSync(file, JSON.stringify({ services: { [SERVICE]: { namespace: 'bench', service: 'backend', endpoints: [endpoint] } } }));
    const outbound = await meshvizProxy('outbound', { PROXY_DESTINATIONS_FILE: file });
    const { addresses } = outbound;
    return {
      h1: addresses.outbound,
      h2: addresses.outbound,
      host: SERVICE,
      measured: [outbound.pid, inbound.pid],
      stop: async () => {
        await outbound.stop();
        await inbound.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },

  haproxy: async (backend) => {
    const [h1, h2] = [await freePort(), await freePort()];
    const backendPort = Number(backend.addr.split(':')[1]);
    const ref = await haproxy('haproxy', PROXY_CPU, referenceConfig(h1, h2, backendPort), [h1, h2]);
    return { h1: `127.0.0.1:${h1}`, h2: `127.0.0.1:${h2}`, host: SERVICE, measured: [ref.pid], stop: ref.stop };
  },

  /** Node's floor: bytes relayed between sockets, on the proxy CPU, with the proxy's Node and no HTTP at all. */
  'node-relay': async (backend) => {
    const port = await freePort();
    const relay = await startPinned('node-relay', PROXY_CPU, process.execPath, [RELAY, String(port), backend.addr], {
      ready: (line) => line === 'ready',
    });
    const addr = `127.0.0.1:${port}`;
    return { h1: addr, h2: addr, host: SERVICE, measured: [relay.pid], stop: relay.stop };
  },
};
