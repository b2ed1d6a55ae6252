// Where the proxy's time goes: a --cpu-prof run under saturating load, summarised by area and by function.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { h2load, wrk } from './load.mjs';
import { startPinned } from './processes.mjs';
import { PROXY_CPU, SERVICE } from './scenarios.mjs';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Rough areas by script URL, most specific first. */
const AREAS = [
  ['meshviz proxy (apps/proxy/dist)', (url) => url.includes('/apps/proxy/dist/')],
  ['prom-client (metrics)', (url) => url.includes('prom-client')],
  ['pino (logging)', (url) => url.includes('pino')],
  ['Node HTTP/2 (node:internal/http2)', (url) => url.includes('internal/http2')],
  ['Node HTTP/1.1 (node:_http_*)', (url) => /node:_http_|internal\/http/.test(url)],
  ['Node streams', (url) => url.includes('internal/streams') || url === 'node:stream'],
  ['Node net and events', (url) => /node:net|internal\/net|node:events|internal\/event_target|internal\/timers/.test(url)],
  ['other Node internals', (url) => url.startsWith('node:')],
];

function areaOf(node) {
  const { url, functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || (url === '' && functionName.startsWith('('))) return 'native, not attributed (program)';
  if (url === '') return 'native (syscalls, parser, nghttp2)';
  return AREAS.find(([, test]) => test(url))?.[0] ?? 'other';
}

/** Self time by area and the busiest functions, idle excluded, as shares of the busy time. */
export function summarise(profile) {
  const byArea = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const node of profile.nodes) {
    if (node.callFrame.functionName === '(idle)' || !node.hitCount) continue;
    busy += node.hitCount;
    const area = areaOf(node);
    byArea.set(area, (byArea.get(area) ?? 0) + node.hitCount);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(apps|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
  }
  const share = (entries, n) =>
    [...entries].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, hits]) => ({ name, share: hits / busy }));
  return { areas: share(byArea, 12), functions: share(byFunction, 15) };
}

/** Runs one proxy under `node --cpu-prof`, saturates it for `seconds`, and summarises the profile. */
export async function profileProxy(backend, protocol, seconds) {
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-prof-'));
  let addresses;
  const proxy = await startPinned('profiled', PROXY_CPU, process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN], {
    env: {
      PROXY_INBOUND_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_OUTBOUND_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_ADMIN_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_TAP_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_INBOUND_FORWARD_ADDR: backend.addr,
    },
    ready: (line) => {
      if (!line.includes('"proxy ready"')) return false;
      addresses = JSON.parse(line).addresses;
      return true;
    },
  });
  try {
    const url = `http://${addresses.inbound}/`;
    if (protocol === 'h1') await wrk({ url, host: SERVICE, connections: 32, seconds });
    else await h2load({ url, host: SERVICE, clients: 8, streams: 16, seconds });
  } finally {
    await proxy.stop(); // the profile is written as the process exits
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  const summary = file ? summarise(JSON.parse(readFileSync(join(dir, file), 'utf8'))) : null;
  rmSync(dir, { recursive: true, force: true });
  return summary;
}
