// Idle RSS: one proxy started, one request through it, then left alone.

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixedRate } from './load.mjs';
import { meshvizProxy, SERVICE } from './scenarios.mjs';

/** Current RSS (VmRSS) of a process in MB. */
function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export async function idleRss(backend) {
  const proxy = await meshvizProxy('idle', { PROXY_INBOUND_FORWARD_ADDR: backend.addr });
  try {
    await fixedRate({ url: `http://${proxy.addresses.inbound}/`, host: SERVICE, protocol: 'h1', rps: 10, seconds: 1 });
    await sleep(2_000);
    return rssMb(proxy.pid);
  } finally {
    await proxy.stop();
  }
}
