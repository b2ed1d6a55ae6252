import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type DestinationStreamMessage,
  type DestinationsFile,
  destinationServiceName,
  NO_FAILURE_ACCRUAL,
  serviceAuthority,
} from '@meshviz/mesh-types';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlConfig } from '../config.js';
import { type Control, startControl } from '../control.js';
import { issuerServing } from '../identity/serving-cert.js';
import { openTrustStore } from '../identity/trust-store.js';
import { createControlMetrics } from '../metrics.js';
import { Catalog } from '../streaming/catalog.js';
import { captureLog, eventually } from '../testing/capture-log.js';
import { type DestinationStream, openDestinationStream, workloadCert } from '../testing/stream-client.js';
import { makeTrustFixture, type TrustFixture } from '../testing/trust-dir.js';
import { startDestinationServer } from './server.js';
import { DESTINATIONS_KEY } from './source.js';

const trustDomain = 'cluster.local';
const CATALOG = serviceAuthority('catalog', 'bookshop');
const CANARY = serviceAuthority('catalog-v2', 'bookshop');
const WEB = serviceAuthority('web', 'bookshop');

/** The discovery table as `meshviz up` writes it: one entry per service, its replicas' inbound proxies. */
function table(services: { name: string; ports: number[] }[]): DestinationsFile {
  const out: DestinationsFile = { services: {} };
  for (const s of services) {
    out.services[serviceAuthority(s.name, 'bookshop')] = {
      namespace: 'bookshop',
      service: s.name,
      endpoints: s.ports.map((port, i) => ({
        addr: `127.0.0.1:${port}`,
        namespace: 'bookshop',
        deployment: s.name,
        pod: `${s.name}-${i}`,
        identity: `${s.name}.bookshop.serviceaccount.identity.meshviz.${trustDomain}`,
      })),
      routes: [{ name: 'GET /items', method: 'GET', path: '/items' }],
    };
  }
  return out;
}
const BASE = table([
  { name: 'web', ports: [41001] },
  { name: 'catalog', ports: [41002, 41003] },
  { name: 'catalog-v2', ports: [41004] },
]);

/** catalog's callers send `canaryShare` of /items to catalog-v2; catalog's endpoints trip after 5 failures. */
const outbound = (canaryShare: number, retry = '5xx') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: catalog-items
  namespace: bookshop
  annotations:
    retry.meshviz.io/http: ${retry}
spec:
  parentRefs: [{ group: core, kind: Service, name: catalog }]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /items } }]
      backendRefs:
        - { name: catalog, weight: ${100 - canaryShare} }
        - { name: catalog-v2, weight: ${canaryShare} }
      timeouts: { request: 2s }
---
apiVersion: v1
kind: Service
metadata:
  name: catalog
  namespace: bookshop
  annotations:
    balancer.meshviz.io/failure-accrual: consecutive
    balancer.meshviz.io/failure-accrual-consecutive-max-failures: "5"
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWithDestinations(fx: TrustFixture, routesText: string) {
  const policyDir = join(fx.root, 'policy');
  await mkdir(policyDir);
  await writeFile(join(policyDir, 'bookshop.yaml'), routesText);
  const runDir = join(fx.root, 'run');
  await mkdir(runDir);
  const baseFile = join(runDir, 'destinations.json');
  await writeFile(baseFile, JSON.stringify(BASE, null, 2));
  const config: ControlConfig = {
    identity: {
      listen: { host: '127.0.0.1', port: 0 },
      trustDomain,
      dir: fx.dir,
      pollIntervalMs: 100,
      leafLifetimeMs: 24 * 60 * 60 * 1000,
      clockSkewMs: 20_000,
      tokenValidator: { kind: 'local', keyFile: fx.tokenKeyFile },
    },
    policy: undefined,
    // A slow fallback poll: the 1 s reloads below have to come from change notifications.
    destination: {
      listen: { host: '127.0.0.1', port: 0 },
      baseFile,
      publishFile: join(runDir, 'compiled.json'),
      dir: policyDir,
      workloadsFile: undefined,
      pollIntervalMs: 30_000,
    },
    admin: { listen: { host: '127.0.0.1', port: 0 } },
    logLevel: 'debug',
    parentPid: undefined,
  };
  const captured = captureLog();
  const control = await startControl(config, { log: captured.log });
  cleanups.push(() => control.shutdown());
  await eventually(() => (control.ready() ? true : undefined), 'the control plane to be ready');
  return { control, policyDir, baseFile, ...captured };
}

async function stream(control: Control, fx: TrustFixture, as: { sa: string; ns: string; td?: string } | null, extra: { path?: string; method?: string } = {}) {
  const cert = as ? await workloadCert(fx.issuer, { serviceAccount: as.sa, namespace: as.ns, trustDomain: as.td ?? trustDomain }) : undefined;
  const s = await openDestinationStream(control.addresses.destination!, { anchorsPem: fx.anchor.certPem, trustDomain, cert, ...extra });
  cleanups.push(() => s.close());
  return s;
}

type Tables = Extract<DestinationStreamMessage, { type: 'destinations' }>[];
const tables = (s: DestinationStream): Tables => s.messages.flatMap((m) => (m.type === 'destinations' ? [m] : []));
const arrivalOf = (s: DestinationStream, message: DestinationStreamMessage) => s.arrivals[s.messages.indexOf(message)]!;

async function metric(control: Control, line: string): Promise<number | undefined> {
  const text = await control.metrics.registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

/** An editor's save: write a temporary file beside it and rename it over the old one. */
async function save(file: string, text: string) {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

describe('the destination service', () => {
  it('streams the discovery table with the compiled outbound routes, and every change within a second', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(() => fx.cleanup());
    const { control, policyDir, baseFile } = await startWithDestinations(fx, outbound(10));
    const s = await stream(control, fx, { sa: 'web', ns: 'bookshop' });
    expect(s.status).toBe(200);
    await eventually(() => (tables(s).length === 1 ? true : undefined), 'the first table');
    const first = tables(s)[0]!;
    expect(first.destinations.services[CATALOG]?.outbound).toEqual({
      routes: [
        {
          kind: 'HTTPRoute',
          name: 'catalog-items',
          matches: [{ path: { type: 'PathPrefix', value: '/items' }, headers: [] }],
          backends: [
            { authority: CATALOG, weight: 90 },
            { authority: CANARY, weight: 10 },
          ],
          timeouts: { requestMs: 2_000, responseMs: null, idleMs: null },
          retry: { limit: 1, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: null },
          fault: null,
        },
      ],
      accrual: { ...NO_FAILURE_ACCRUAL, kind: 'consecutive', maxFailures: 5 },
    });
    // Services without routes or annotations come through as discovery lists them.
    expect(first.destinations.services[WEB]).toEqual(BASE.services[WEB]);
    expect(first.destinations.services[CANARY]).toEqual(BASE.services[CANARY]);

    // A change of the routes: half of /items to the canary.
    let changedAt = performance.now();
    await save(join(policyDir, 'bookshop.yaml'), outbound(50));
    await eventually(() => (tables(s).length === 2 ? true : undefined), 'the table after the route change', 5_000);
    const second = tables(s)[1]!;
    expect(arrivalOf(s, second) - changedAt).toBeLessThan(1_000);
    expect(second.destinations.services[CATALOG]?.outbound?.routes[0]?.backends.map((b) => b.weight)).toEqual([50, 50]);
    // The compiled table is also published as a file (for the API), the one the streams carry.
    const published = join(baseFile, '..', 'compiled.json');
    await eventually(async () => {
      const text = await readFile(published, 'utf8').catch(() => '');
      return text && JSON.parse(text).services[CATALOG]?.outbound?.routes[0]?.backends[1]?.weight === 50 ? true : undefined;
    }, 'the published table to follow the change');
    expect(JSON.parse(await readFile(published, 'utf8'))).toEqual(second.destinations);
    expect(second.revision).toBeGreaterThan(first.revision);

    // A change of discovery: the canary gets a second replica.
    changedAt = performance.now();
    await save(baseFile, JSON.stringify(table([{ name: 'web', ports: [41001] }, { name: 'catalog', ports: [41002, 41003] }, { name: 'catalog-v2', ports: [41004, 41005] }])));
    await eventually(() => (tables(s).length === 3 ? true : undefined), 'the table after the discovery change', 5_000);
    const third = tables(s)[2]!;
    expect(arrivalOf(s, third) - changedAt).toBeLessThan(1_000);
    expect(third.destinations.services[CANARY]?.endpoints.map((e) => e.addr)).toEqual(['127.0.0.1:41004', '127.0.0.1:41005']);
    expect(third.destinations.services[CATALOG]?.outbound).toEqual(second.destinations.services[CATALOG]?.outbound);
    const reloads = await metric(control, 'destination_reload_total{result="ok"}');
    expect(reloads).toBeGreaterThanOrEqual(3);
    expect(await metric(control, 'destination_revision')).toBe(third.revision);
    expect(await metric(control, 'destination_streams')).toBe(1);

    // Other files beside the table (the local runtime's run directory holds many) do not cause reloads.
    await writeFile(join(baseFile, '..', 'tap-targets.json'), '{}');
    await new Promise((r) => setTimeout(r, 300));
    expect(await metric(control, 'destination_reload_total{result="ok"}')).toBe(reloads);
  });

  it('refuses an invalid change naming the file, the resource and the field, and keeps the last good table', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(() => fx.cleanup());
    const { control, policyDir, baseFile, entries } = await startWithDestinations(fx, outbound(10));
    const s = await stream(control, fx, { sa: 'web', ns: 'bookshop' });
    await eventually(() => (tables(s).length === 1 ? true : undefined), 'the first table');
    const before = control.destination!.catalog.get(DESTINATIONS_KEY);
    expect(before).toBeDefined();
    const refusals = () => entries.filter((e) => e.msg === 'destinations refused; the last good table stays in force').map((e) => e.error as string);

    // The split's new weights are fine; the retry annotation is not.
    await save(join(policyDir, 'bookshop.yaml'), outbound(50, '5xxx'));
    const [error] = await eventually(() => (refusals().length > 0 ? refusals() : undefined), 'the refusal to be logged');
    expect(error).toBe(
      `${join(policyDir, 'bookshop.yaml')}: HTTPRoute bookshop/catalog-items: metadata.annotations.retry.meshviz.io/http: invalid value "5xxx": "5xxx" is not a retryable status: must be a comma-separated list of 5xx, gateway-error, a status (504) or a range (500-504)`,
    );
    expect(await metric(control, 'destination_reload_total{result="refused"}')).toBe(1);

    // A backend discovery does not list is refused too, naming the backend ref.
    await save(join(policyDir, 'bookshop.yaml'), outbound(50).replace('name: catalog-v2, weight', 'name: catalog-v3, weight'));
    await eventually(() => (refusals().length > 1 ? true : undefined), 'the second refusal');
    expect(refusals()[1]).toBe(
      `${join(policyDir, 'bookshop.yaml')}: HTTPRoute bookshop/catalog-items: spec.rules.0.backendRefs.1.name: Service bookshop/catalog-v3 is not in discovery`,
    );

    // And a broken discovery table, naming the file and the field.
    await save(join(policyDir, 'bookshop.yaml'), outbound(10));
    await save(baseFile, JSON.stringify({ services: { [WEB]: { ...BASE.services[WEB], endpoints: [{ addr: 'nowhere' }] } } }));
    await eventually(() => (refusals().some((e) => e.startsWith(baseFile)) ? true : undefined), 'the table refusal');
    expect(refusals().filter((e) => e.startsWith(baseFile))).toContain(`${baseFile}: services.${WEB}.endpoints.0.addr: must be host:port`);

    // Nothing half-applied: the table in force is the first one, and no proxy was sent anything else.
    expect(control.destination!.catalog.get(DESTINATIONS_KEY)).toEqual(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(tables(s)).toHaveLength(1);
  });

  it('presents the destination service identity and lets any identity of the mesh read the table', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(() => fx.cleanup());
    const { control } = await startWithDestinations(fx, outbound(10));
    const web = await stream(control, fx, { sa: 'web', ns: 'bookshop' });
    const ledger = await stream(control, fx, { sa: 'ledger', ns: 'billing' });
    expect([web.status, ledger.status]).toEqual([200, 200]);
    expect(web.serverNames).toEqual([destinationServiceName(trustDomain)]);
    expect(destinationServiceName(trustDomain)).toBe('destination.meshviz-system.serviceaccount.identity.meshviz.cluster.local');

    const foreign = await stream(control, fx, { sa: 'web', ns: 'bookshop', td: 'other.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toEqual({
      error: { code: 'DESTINATION_PERMISSION_DENIED', message: 'the client certificate names no identity of trust domain cluster.local' },
    });
    const wrongPath = await stream(control, fx, { sa: 'web', ns: 'bookshop' }, { path: '/v1/destinations/catalog' });
    expect([wrongPath.status, JSON.parse(wrongPath.body).error.code]).toEqual([404, 'DESTINATION_NOT_FOUND']);
    const post = await stream(control, fx, { sa: 'web', ns: 'bookshop' }, { method: 'POST' });
    expect([post.status, JSON.parse(post.body).error.message]).toEqual([405, 'POST is not allowed; use GET']);
    // Without a client certificate the handshake itself is refused.
    await expect(stream(control, fx, null)).rejects.toThrow();
  });
});

describe('the destination stream', () => {
  it('sends heartbeats between tables, and answers 503 before the first table', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(() => fx.cleanup());
    const { log } = captureLog();
    const store = await openTrustStore({ dir: fx.dir, pollIntervalMs: 1_000, log, metrics: createControlMetrics() });
    cleanups.push(() => store.close());
    const catalog = new Catalog<DestinationsFile>(log, { refused: 'refused', warning: 'warning', loaded: 'loaded' });
    const server = await startDestinationServer(
      { listen: { host: '127.0.0.1', port: 0 }, trustDomain, heartbeatMs: 100 },
      { serving: issuerServing(store, { trustDomain, leafLifetimeMs: 3_600_000, clockSkewMs: 0 }), catalog, log },
    );
    cleanups.push(() => server.close());
    await eventually(() => (server.ready() ? true : undefined), 'the serving certificate');
    const cert = await workloadCert(fx.issuer, { serviceAccount: 'web', namespace: 'bookshop', trustDomain });
    const open = async () => {
      const s = await openDestinationStream(server.address, { anchorsPem: fx.anchor.certPem, trustDomain, cert });
      cleanups.push(() => s.close());
      return s;
    };

    const early = await open();
    expect([early.status, JSON.parse(early.body).error]).toEqual([503, { code: 'DESTINATION_UNAVAILABLE', message: 'no discovery table has loaded yet' }]);

    catalog.apply({ ok: true, entries: new Map([[DESTINATIONS_KEY, BASE]]), warnings: [] });
    const s = await open();
    await eventually(() => (s.messages.filter((m) => m.type === 'heartbeat').length >= 2 ? true : undefined), 'two heartbeats', 2_000);
    expect(s.messages[0]).toEqual({ type: 'destinations', revision: 1, destinations: BASE });
    expect(s.messages.slice(1).every((m) => m.type === 'heartbeat')).toBe(true);
  });
});
