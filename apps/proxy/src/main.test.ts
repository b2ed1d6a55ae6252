import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { h2Connect, h2Send, startH2Upstream } from './testing/h2-fixtures.js';
import { eventually, getText, send, startUpstream } from './testing/http-fixtures.js';
import { createTestPki, proxyIdentityConfig, startTestIdentityService, testIdentity } from './testing/identity-fixtures.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const identityDir = fileURLToPath(new URL('../../../packages/identity', import.meta.url));

const baseEnv = {
  PATH: process.env.PATH,
  PROXY_INBOUND_LISTEN_ADDR: '127.0.0.1:0',
  PROXY_OUTBOUND_LISTEN_ADDR: '127.0.0.1:0',
  PROXY_ADMIN_LISTEN_ADDR: '127.0.0.1:0',
  PROXY_TAP_LISTEN_ADDR: '127.0.0.1:0',
};

interface Running {
  readonly child: ChildProcess;
  readonly addresses: { inbound: string; outbound: string; admin: string };
  readonly exited: Promise<number | null>;
  readonly logs: { msg?: string }[];
}

/** Spawns the built bin and waits for its "proxy ready" log line, which carries the bound addresses. */
async function spawnProxy(env: Record<string, string | undefined>, nodeArgs: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [...nodeArgs, bin], { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logs: { msg?: string; addresses?: Running['addresses'] }[] = [];
  const addresses = await new Promise<Running['addresses']>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as (typeof logs)[number];
      logs.push(entry);
      if (entry.msg === 'proxy ready' && entry.addresses) resolve(entry.addresses);
    });
    void exited.then((code) => reject(new Error(`proxy exited early with ${code}`)));
  });
  return { child, addresses, exited, logs };
}

/**
 * A module to preload with --import: it records every module the proxy resolves and, at exit, the size of V8's
 * young generation.
 */
function moduleProbe(): { file: string; urls(): string[]; youngGenerationBytes(): number; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-proxy-startup-'));
  const out = join(dir, 'out');
  const hooks = `import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(${JSON.stringify(`${out}.urls`)}, resolved.url + '\\n');
      return resolved;
    }`;
  const file = join(dir, 'probe.mjs');
  writeFileSync(
    file,
    `import { register } from 'node:module';
    import { appendFileSync, writeFileSync } from 'node:fs';
    import v8 from 'node:v8';
    appendFileSync(${JSON.stringify(`${out}.urls`)}, '');
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
    process.on('exit', () => {
      const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
      writeFileSync(${JSON.stringify(out)}, String(young.space_size));
    });`,
  );
  return {
    file,
    urls: () => readFileSync(`${out}.urls`, 'utf8').split('\n'),
    youngGenerationBytes: () => Number(readFileSync(out, 'utf8')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe('meshviz-proxy bin', () => {
  beforeAll(() => {
    // Tests the current source, not whatever dist/ happens to hold: the proxy's and the identity package's, whose
    // certifier the proxy loads.
    const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
    for (const cwd of [packageDir, identityDir]) execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd });
  }, 90_000);

  it('exits non-zero with one message naming a bad variable', async () => {
    const child = spawn(process.execPath, [bin], {
      env: { ...baseEnv, PROXY_ADMIN_LISTEN_ADDR: 'everywhere' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'meshviz-proxy: invalid configuration: PROXY_ADMIN_LISTEN_ADDR: must be host:port with port 0..65535 (got "everywhere")',
    ]);
  });

  it('on SIGTERM finishes the request in flight and exits 0', async () => {
    let arrived = () => {};
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const app = await startUpstream((_req, res) => {
      arrived();
      setTimeout(() => res.end('done after SIGTERM'), 400);
    });
    try {
      const proxy = await spawnProxy({ PROXY_INBOUND_FORWARD_ADDR: app.addr, PROXY_SHUTDOWN_GRACE_PERIOD: '5s' });
      const reply = send(proxy.addresses.inbound);
      await requestArrived;
      proxy.child.kill('SIGTERM');
      expect((await reply).body.toString()).toBe('done after SIGTERM');
      expect(await proxy.exited).toBe(0);
      expect(proxy.logs.map((l) => l.msg)).toContain('shutdown complete');
    } finally {
      await app.close();
    }
  });

  it('on SIGTERM sends HTTP/2 clients GOAWAY and lets every stream in flight finish', async () => {
    let arrivedCount = 0;
    let allArrived = () => {};
    const streamsArrived = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    const app = await startH2Upstream((stream) => {
      arrivedCount += 1;
      if (arrivedCount === 5) allArrived();
      setTimeout(() => {
        stream.respond({ ':status': 200 });
        stream.end('finished after SIGTERM');
      }, 400);
    });
    try {
      const proxy = await spawnProxy({ PROXY_INBOUND_FORWARD_ADDR: app.addr, PROXY_SHUTDOWN_GRACE_PERIOD: '5s' });
      const session = h2Connect(proxy.addresses.inbound);
      const goaway = new Promise<number>((resolve) => session.once('goaway', resolve));
      const replies = Promise.all(Array.from({ length: 5 }, (_, i) => h2Send(session, { headers: { ':path': `/s${i}` } })));
      await streamsArrived;
      proxy.child.kill('SIGTERM');
      expect(await goaway).toBe(0); // NO_ERROR: a graceful GOAWAY
      for (const reply of await replies) {
        expect(reply.status).toBe(200);
        expect(reply.body.toString()).toBe('finished after SIGTERM');
      }
      expect(await proxy.exited).toBe(0);
      session.destroy();
    } finally {
      await app.close();
    }
  });

  it('starts with the young generation at its initial size and without the X.509 library', async () => {
    const probe = moduleProbe();
    try {
      const proxy = await spawnProxy({}, ['--import', probe.file]);
      proxy.child.kill('SIGTERM');
      expect(await proxy.exited).toBe(0);
      // Two 1 MiB semi-spaces: loading the program before heap-sizing.ts ran grew them to 4-16 MiB each.
      expect(probe.youngGenerationBytes()).toBeLessThanOrEqual(2 * 1024 * 1024);
      const urls = probe.urls();
      expect(urls.some((url) => url.includes('/apps/proxy/dist/run.js'))).toBe(true);
      expect(urls.filter((url) => /x509|identity\/dist\/index\.js/.test(url))).toEqual([]);
    } finally {
      probe.remove();
    }
  });

  it('certifies without loading the X.509 library', async () => {
    // The library (~8 MB of RSS) is the CA side's; a proxy only builds CSRs, which node:crypto does.
    const pki = await createTestPki();
    const service = await startTestIdentityService(pki);
    const identity = proxyIdentityConfig(service, pki, testIdentity('web', 'shop', pki));
    const probe = moduleProbe();
    try {
      const proxy = await spawnProxy(
        {
          PROXY_IDENTITY_LOCAL_NAME: identity.localName,
          PROXY_IDENTITY_SVC_ADDR: `${identity.serviceAddr.host}:${identity.serviceAddr.port}`,
          PROXY_IDENTITY_SVC_NAME: identity.serviceName,
          PROXY_IDENTITY_TRUST_ANCHORS_FILE: identity.trustAnchorsFile,
          PROXY_IDENTITY_TOKEN_FILE: identity.tokenFile,
        },
        ['--import', probe.file],
      );
      await eventually(async () => {
        if ((await getText(proxy.addresses.admin, '/ready')).status !== 200) throw new Error('not certified yet');
      }, 10_000);
      expect(service.issued.get(identity.localName)).toBe(1);
      proxy.child.kill('SIGTERM');
      expect(await proxy.exited).toBe(0);
      const urls = probe.urls();
      expect(urls.some((url) => url.includes('/packages/identity/dist/certifier.js'))).toBe(true);
      expect(urls.filter((url) => /x509|peculiar|tsyringe|reflect-metadata|asn1|identity\/dist\/index\.js/.test(url))).toEqual([]);
    } finally {
      probe.remove();
      await service.close();
    }
  });

  it('exits 0 once PROXY_PARENT_PID no longer exists', async () => {
    const parent = spawn('sleep', ['30'], { stdio: 'ignore' });
    const proxy = await spawnProxy({ PROXY_PARENT_PID: String(parent.pid) });
    parent.kill('SIGKILL');
    expect(await proxy.exited).toBe(0);
  });
});
