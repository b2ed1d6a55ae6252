import http from 'node:http';
import { createCsr, signLeaf } from '@meshviz/identity';
import { CONTROL_NAMESPACE, identityName, parseIdentityName } from '@meshviz/mesh-types';
import { parseHostPort } from '@meshviz/runtime';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalIdentity } from '../identity/local-identity.js';
import type { ProxyHandle } from '../proxy.js';
import { capturedLog } from '../testing/captured-log.js';
import { eventually, send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { createTestPki, startTestIdentityService, type TestIdentityService, type TestPki } from '../testing/identity-fixtures.js';
import { scrape } from '../testing/mesh.js';
import { authorization, catalogPolicy, policyInForce, prefix, route, startReplica, WORKLOAD, WORKLOAD_KEY } from '../testing/policy-fixtures.js';
import { startTestPolicyService, type TestPolicyService } from '../testing/policy-service.js';
import { select, total } from '../testing/prom-text.js';
import { PolicyState } from './state.js';
import { startPolicyStream } from './stream.js';

let pki: TestPki;
let identityService: TestIdentityService;
let policyService: TestPolicyService;
let app: Upstream;
const proxies: ProxyHandle[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  identityService = await startTestIdentityService(pki);
  policyService = await startTestPolicyService(pki);
  app = await startUpstream((req, res) => res.end(`hello ${req.url}`));
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.shutdown()));
  for (const cleanup of cleanups.splice(0)) await cleanup();
  policyService.forget(WORKLOAD_KEY);
  app.requests.length = 0;
});
afterAll(async () => {
  await Promise.all([app.close(), identityService.close(), policyService.close()]);
});

const replica = async (options: Omit<Parameters<typeof startReplica>[1], 'pki' | 'identityService'>) => {
  const proxy = await startReplica(app.addr, { pki, identityService, ...options });
  proxies.push(proxy);
  return proxy;
};

/** Routes /books (anyone) and, while `admin` says so, /admin (anyone): everything else is route_not_found. */
const policy = (revision: number, admin: boolean) =>
  catalogPolicy(revision, app.port, {
    routes: [
      route('HTTPRoute', 'books', [prefix('/books')], [authorization('anyone')]),
      route('HTTPRoute', 'admin', [prefix('/admin')], admin ? [authorization('anyone')] : []),
    ],
  });

describe('policy changes while traffic flows', () => {
  it('swaps policies without losing an allowed request, and a change applies within a second', async () => {
    policyService.publish(policy(1, true));
    const proxy = await replica({ policyService });
    await policyInForce(proxy, 1);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    cleanups.push(() => agent.destroy());
    const statuses: number[] = [];
    let running = true;
    const loop = async () => {
      while (running) statuses.push((await send(proxy.addresses.inbound, { path: '/books/1', agent })).status);
    };
    const loops = [loop(), loop(), loop(), loop()];
    for (let revision = 2; revision <= 6; revision++) {
      await new Promise((r) => setTimeout(r, 100));
      policyService.publish(policy(revision, true));
    }
    await policyInForce(proxy, 6);
    expect((await send(proxy.addresses.inbound, { path: '/admin' })).status).toBe(200);
    const published = performance.now();
    policyService.publish(policy(7, false));
    await eventually(async () => expect((await send(proxy.addresses.inbound, { path: '/admin', agent })).status).toBe(403), 1_000);
    const appliedMs = performance.now() - published;
    running = false;
    await Promise.all(loops);

    expect(appliedMs).toBeLessThan(1_000);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const m = await scrape(proxy);
    expect(total(m, 'inbound_http_authz_allow_total', { route_name: 'books' })).toBe(statuses.length);
    expect(app.requests.filter((r) => r.url === '/books/1')).toHaveLength(statuses.length);
    expect(select(m, 'inbound_policy_info').map((s) => s.labels)).toEqual([{ revision: '7', source: 'control' }]);
    // Every swap reused the same series: the decisions' keys do not change with the revision.
    expect(select(m, 'inbound_http_authz_allow_total', { route_name: 'books' })).toHaveLength(1);
  });
});

describe('before the first policy', () => {
  it('holds a new connection, then serves it under the default when no policy comes within the initial wait', async () => {
    const { log, lines } = capturedLog();
    const proxy = await replica({ policyService, policy: { defaultPolicy: 'deny', initialWaitMs: 1_500 }, log });
    const started = performance.now();
    const reply = await send(proxy.addresses.inbound, { path: '/early' });
    const waited = performance.now() - started;
    expect(reply.status).toBe(403);
    expect(waited).toBeGreaterThanOrEqual(1_450);
    expect(waited).toBeLessThan(3_000);
    expect(app.requests).toEqual([]);
    const m = await scrape(proxy);
    expect(select(m, 'inbound_policy_info').map((s) => s.labels)).toEqual([{ revision: '', source: 'default' }]);
    expect(lines.some((l) => l.msg === 'default inbound policy in force' && l.defaultPolicy === 'deny')).toBe(true);
    // Later connections no longer wait; the first policy replaces the default.
    const again = performance.now();
    expect((await send(proxy.addresses.inbound, { path: '/books' })).status).toBe(403);
    expect(performance.now() - again).toBeLessThan(1_000);
    policyService.publish(policy(1, true));
    await policyInForce(proxy, 1);
    expect((await send(proxy.addresses.inbound, { path: '/books' })).status).toBe(200);
  });

  it('holds a new connection until the first policy arrives and serves it under that policy', async () => {
    const proxy = await replica({ policyService, policy: { defaultPolicy: 'deny', initialWaitMs: 5_000 } });
    const started = performance.now();
    const pending = send(proxy.addresses.inbound, { path: '/books/held' });
    await new Promise((r) => setTimeout(r, 300));
    expect(app.requests).toEqual([]);
    policyService.publish(policy(1, true));
    const reply = await pending;
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('hello /books/held');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(280);
    expect(waited).toBeLessThan(4_000);
  });

  it('applies the default at once without a policy service', async () => {
    const proxy = await replica({ policy: { defaultPolicy: 'deny', initialWaitMs: 5_000 } });
    const started = performance.now();
    expect((await send(proxy.addresses.inbound, { path: '/x' })).status).toBe(403);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('a bad policy stream', () => {
  it('keeps the current policy when a message is malformed, says what was wrong, and reconnects', async () => {
    const { log, lines } = capturedLog();
    policyService.publish(policy(1, false));
    const proxy = await replica({ policyService, log });
    await policyInForce(proxy, 1);
    // Reconnected streams get nothing, so only the policy already held can explain what the proxy enforces next.
    policyService.forget(WORKLOAD_KEY);
    const opened = policyService.streams.length;
    const problems = () => lines.filter((l) => l.msg === 'malformed policy stream message; keeping the current policy and reconnecting').map((l) => String(l.problem));

    const bad = [
      'this is not json',
      JSON.stringify({ type: 'policy', policy: { revision: 2 } }),
      JSON.stringify({ type: 'policy', policy: { ...policy(3, true), workload: { namespace: 'bookshop', name: 'web' } } }),
      JSON.stringify({
        type: 'policy',
        policy: catalogPolicy(4, app.port, { routes: [route('HTTPRoute', 'admin', [{ path: { type: 'RegularExpression', value: '/admin[' }, headers: [] }], [authorization('anyone')])] }),
      }),
    ];
    for (const [i, line] of bad.entries()) {
      // The stream the previous line broke must be gone and the proxy's next one open (backoff grows each time).
      await eventually(() => {
        expect(policyService.streams.length).toBe(opened + i);
        expect(policyService.open).toBe(1);
      }, 5_000);
      policyService.sendRaw(WORKLOAD_KEY, line);
      await eventually(() => expect(problems()).toHaveLength(i + 1), 5_000);
    }
    expect(problems()[0]).toMatch(/^not JSON: /);
    expect(problems()[1]).toMatch(/^does not match PolicyStreamMessage: policy\.workload: /);
    expect(problems()[2]).toBe('the policy is for workload bookshop/web, this proxy serves bookshop/catalog');
    expect(problems()[3]).toMatch(/^policy revision 4: port \d+: route HTTPRoute\/admin: matches\[0\]: path: "\/admin\[" is not a valid regular expression/);
    await eventually(() => expect(policyService.streams.length).toBe(opened + bad.length), 5_000);

    expect((await send(proxy.addresses.inbound, { path: '/admin' })).status).toBe(403);
    expect((await send(proxy.addresses.inbound, { path: '/books' })).status).toBe(200);
    expect(select(await scrape(proxy), 'inbound_policy_info').map((s) => s.labels)).toEqual([{ revision: '1', source: 'control' }]);
  });

  it('never opens a stream to a service presenting another identity, and serves the default after the wait', async () => {
    const impostor = await startTestPolicyService(pki, { identity: identityName({ serviceAccount: 'tap', namespace: CONTROL_NAMESPACE, trustDomain: pki.trustDomain }) });
    cleanups.push(() => impostor.close());
    impostor.publish(policy(1, true));
    const { log, lines } = capturedLog();
    const proxy = await startReplica(app.addr, {
      pki,
      identityService,
      policy: {
        service: { addr: parseHostPort(impostor.addr)!, name: policyService.serviceName, workload: WORKLOAD },
        defaultPolicy: 'all-authenticated',
        initialWaitMs: 400,
      },
      log,
    });
    proxies.push(proxy);
    expect((await send(proxy.addresses.inbound, { path: '/books' })).status).toBe(403);
    await eventually(() =>
      expect(lines.some((l) => l.msg === 'policy service unreachable; retrying' && String(l.reason).includes(`expected ${policyService.serviceName}`))).toBe(true),
    );
    expect(impostor.streams).toEqual([]);
    expect(select(await scrape(proxy), 'inbound_policy_info').map((s) => s.labels)).toEqual([{ revision: '', source: 'default' }]);
  });
});

describe('the stream client on its own', () => {
  /** A certified identity for web.bookshop, without an identity service. */
  async function certified(namespace = 'bookshop'): Promise<LocalIdentity> {
    const name = identityName({ serviceAccount: 'catalog', namespace, trustDomain: pki.trustDomain });
    const { keyPem, csrPem } = await createCsr(parseIdentityName(name)!);
    const leaf = await signLeaf(pki.issuer, csrPem, { identity: parseIdentityName(name)! });
    const identity = new LocalIdentity(name, pki.anchor.certPem);
    identity.update({ material: { keyPem, chainPem: `${leaf.certPem.trim()}\n${pki.issuer.certPem.trim()}\n`, notAfter: leaf.validUntil } });
    return identity;
  }

  async function stream(service: TestPolicyService, options: { idleMs: number; workload?: typeof WORKLOAD }) {
    const { log, lines } = capturedLog();
    const state = new PolicyState({
      port: app.port,
      defaults: { defaultPolicy: 'deny', clusterNetworks: [], probePaths: [] },
      awaitControl: true,
      registry: new Registry(),
      log,
    });
    const running = startPolicyStream({
      addr: parseHostPort(service.addr)!,
      serverName: service.serviceName,
      workload: options.workload ?? WORKLOAD,
      identity: await certified(),
      state,
      log,
      reconnectMinMs: 20,
      reconnectMaxMs: 100,
      idleMs: options.idleMs,
    });
    cleanups.push(() => running.stop());
    return { state, lines };
  }

  it('drops a silent stream after the idle limit and reconnects; heartbeats keep one alive', async () => {
    const silent = await startTestPolicyService(pki, { heartbeatMs: 0 });
    const chatty = await startTestPolicyService(pki, { heartbeatMs: 50 });
    cleanups.push(() => silent.close(), () => chatty.close());
    const a = await stream(silent, { idleMs: 200 });
    await stream(chatty, { idleMs: 200 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(silent.streams.length).toBeGreaterThanOrEqual(3);
    expect(chatty.streams).toHaveLength(1);
    expect(a.lines.some((l) => l.msg === 'the policy stream was silent too long; reconnecting')).toBe(true);
    expect(a.state.settled).toBe(false);
  });

  it('reports a refused stream with its status and what the service said, and retries', async () => {
    const { lines } = await stream(policyService, { idleMs: 5_000, workload: { namespace: 'billing', name: 'ledger' } });
    await eventually(() => expect(lines.filter((l) => l.msg === 'the policy service did not open a policy stream').length).toBeGreaterThanOrEqual(2));
    const refusal = lines.find((l) => l.msg === 'the policy service did not open a policy stream')!;
    expect(refusal.status).toBe(403);
    expect(String(refusal.body)).toContain('may not read policies of namespace billing');
  });

  it('swaps in the policy it receives and logs its revision', async () => {
    policyService.publish(policy(9, true));
    const { state, lines } = await stream(policyService, { idleMs: 5_000 });
    await eventually(() => expect(state.source).toBe('control'));
    expect(state.port.server).toEqual({ kind: 'server', name: 'catalog-http', port: String(app.port) });
    expect(lines.find((l) => l.msg === 'inbound policy in force')).toMatchObject({ revision: 9, server: 'server/catalog-http' });
  });
});


