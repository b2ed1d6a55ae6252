import { randomBytes, randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DEFAULT_INTERCEPTION, type DestinationsFile } from '@meshviz/mesh-types';
import { applyInterception } from '@meshviz/proxy-init';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startTestIdentityService, type TestIdentityService, testIdentity } from '../testing/identity-fixtures.js';
import { type PodProcess, Pods, podsUnsupported } from '../testing/pods.js';
import { parseSamples, type Sample, total } from '../testing/prom-text.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const skipReason = podsUnsupported();

// Two pods joined by a veth pair; each also has a link to this process' namespace, where the identity services
// listen. Addresses inside the pods are private to them; the control links get a random /30 pair in 10.234.r.0.
const WEB_IP = '10.234.0.1';
const CATALOG_IP = '10.234.0.2';
const CATALOG_VIP = '10.234.250.10';
const ECHO_VIP = '10.234.250.11';
const SKIPPED_PORT = 9000;

/** The catalog pod's app: HTTP on 8080 (the service's port), 8081 (unknown to discovery) and 9000 answering with its port and peer, a TCP echo on 7000. */
const CATALOG_APP = `
const http = require('node:http'), net = require('node:net');
for (const port of [8080, 8081, ${SKIPPED_PORT}]) {
  http.createServer((req, res) => res.end(JSON.stringify({ port, path: req.url, peer: req.socket.remoteAddress }))).listen(port, '0.0.0.0');
}
net.createServer((s) => s.pipe(s)).listen(7000, '0.0.0.0', () => console.log('apps ready'));
`;

/** A plain TCP client: sends stdin-given bytes (hex) to host:port, prints what comes back (hex). */
const ECHO_CLIENT = `
const net = require('node:net');
const [host, port, hex] = process.argv.slice(1);
const sent = Buffer.from(hex, 'hex'); const got = [];
const s = net.connect(Number(port), host, () => s.end(sent));
s.on('data', (c) => got.push(c)); s.on('end', () => process.stdout.write(Buffer.concat(got).toString('hex')));
s.on('error', (e) => { console.error(e.message); process.exit(1); });
`;

describe.skipIf(skipReason !== undefined)(`transparent interception between two pods${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const pods = new Pods();
  const r = randomInt(1, 200);
  let web = '';
  let catalog = '';
  const identities: TestIdentityService[] = [];
  const proxies: Record<string, PodProcess> = {};
  let webId = '';
  let catalogId = '';

  const metrics = (netns: string): Sample[] => parseSamples(pods.exec(netns, ['curl', '-sf', 'http://127.0.0.1:4191/metrics']));
  const curl = (url: string): { port: number; path: string; peer: string } =>
    JSON.parse(pods.exec(web, ['curl', '-sf', '--max-time', '10', url])) as { port: number; path: string; peer: string };

  beforeAll(async () => {
    web = pods.addPod('web');
    catalog = pods.addPod('catalog');
    pods.link('p', web, `${WEB_IP}/24`, catalog, `${CATALOG_IP}/24`);
    pods.link('w', undefined, `10.234.${r}.1/30`, web, `10.234.${r}.2/30`);
    pods.link('c', undefined, `10.234.${r}.5/30`, catalog, `10.234.${r}.6/30`);
    // Service addresses exist nowhere: a route lets connect() start, then the pod's OUTPUT rules redirect it.
    pods.exec(web, ['ip', 'route', 'add', 'default', 'via', CATALOG_IP]);
    pods.exec(catalog, ['ip', 'route', 'add', 'default', 'via', WEB_IP]);
    pods.hosts(web, [`${CATALOG_VIP} catalog.shop.svc.cluster.local catalog.shop`, `${ECHO_VIP} echo.shop.svc.cluster.local`]);

    const pki = await createTestPki();
    webId = testIdentity('web', 'shop', pki);
    catalogId = testIdentity('catalog', 'shop', pki);
    const endpoint = (port: number) => ({ addr: `${CATALOG_IP}:${port}`, namespace: 'shop', deployment: 'catalog', pod: 'catalog-0', identity: catalogId });
    const destinations: DestinationsFile = {
      services: {
        'catalog.shop.svc.cluster.local': { namespace: 'shop', service: 'catalog', clusterIPs: [CATALOG_VIP], endpoints: [endpoint(8080)] },
        'echo.shop.svc.cluster.local': { namespace: 'shop', service: 'echo', clusterIPs: [ECHO_VIP], endpoints: [endpoint(7000)] },
      },
    };
    const destinationsFile = pods.file('destinations.json', JSON.stringify(destinations));
    pods.file('anchors.pem', pki.anchor.certPem);

    const startProxy = async (netns: string, name: string, id: string, controlHost: string, env: Record<string, string>) => {
      const identity = await startTestIdentityService(pki, 60_000, controlHost);
      identities.push(identity);
      const token = pods.file(`${name}.token`, identity.tokenFor(id));
      proxies[name] = pods.spawn(netns, [process.execPath, '--import', 'tsx', 'src/main.ts'], {
        asProxy: true,
        // The source runs through tsx, resolved from the package's directory.
        cwd: packageDir,
        env: {
          PROXY_INTERCEPTION: 'transparent',
          PROXY_DESTINATIONS_FILE: destinationsFile,
          PROXY_IDENTITY_LOCAL_NAME: id,
          PROXY_IDENTITY_SVC_ADDR: identity.addr,
          PROXY_IDENTITY_SVC_NAME: identity.serviceName,
          PROXY_IDENTITY_TRUST_ANCHORS_FILE: `${pods.dir}/anchors.pem`,
          PROXY_IDENTITY_TOKEN_FILE: token,
          PROXY_NAMESPACE: 'shop',
          PROXY_DEPLOYMENT: name,
          PROXY_POD: `${name}-0`,
          PROXY_SHUTDOWN_GRACE_PERIOD: '0s',
          ...env,
        },
      });
    };
    await applyInterception({ ...DEFAULT_INTERCEPTION, skipOutboundPorts: [SKIPPED_PORT] }, { netns: web });
    await applyInterception(DEFAULT_INTERCEPTION, { netns: catalog });
    await startProxy(web, 'web', webId, `10.234.${r}.1`, {});
    // A forward address nothing listens on: every connection must reach the port it was sent to instead.
    await startProxy(catalog, 'catalog', catalogId, `10.234.${r}.5`, { PROXY_INBOUND_FORWARD_ADDR: '127.0.0.1:1' });
    const app = pods.spawn(catalog, [process.execPath, '-e', CATALOG_APP]);
    await until(() => app.output().includes('apps ready'), 'the catalog app', () => app.output());
    for (const [name, netns] of [
      ['web', web],
      ['catalog', catalog],
    ] as const) {
      const ready = () => pods.exec(netns, ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:4191/ready']) === '200';
      await until(ready, `the ${name} proxy's /ready`, () => proxies[name]!.output());
    }
  }, 90_000);

  afterAll(async () => {
    await pods.destroy();
    await Promise.all(identities.map((identity) => identity.close()));
  });

  it('carries an unmodified client to a service by cluster IP and by name, over mTLS with both identities', () => {
    expect(curl(`http://${CATALOG_VIP}/by-ip`)).toEqual({ port: 8080, path: '/by-ip', peer: '127.0.0.1' });
    expect(curl('http://catalog.shop.svc.cluster.local/by-name')).toMatchObject({ port: 8080, path: '/by-name' });
    expect(curl('http://catalog.shop/short')).toMatchObject({ port: 8080, path: '/short' });

    const out = metrics(web);
    const outbound = { direction: 'outbound', dst_service: 'catalog', dst_pod: 'catalog-0', tls: 'true', server_id: catalogId };
    expect(total(out, 'request_total', outbound)).toBe(3);
    const inbound = { direction: 'inbound', tls: 'true', client_id: webId, target_addr: '127.0.0.1:8080' };
    expect(total(metrics(catalog), 'request_total', inbound)).toBe(3);
  });

  it('sends a call to a pod address straight to that endpoint, meshed', () => {
    expect(curl(`http://${CATALOG_IP}:8080/pod`)).toMatchObject({ port: 8080, path: '/pod' });
    const endpointHop = { direction: 'outbound', dst_pod: 'catalog-0', tls: 'true', target_addr: `${CATALOG_IP}:8080` };
    expect(total(metrics(web), 'request_total', endpointHop)).toBe(4);
  });

  it('forwards a call to an address discovery does not know as it is, measured as an unmeshed hop', () => {
    expect(curl(`http://${CATALOG_IP}:8081/unknown`)).toMatchObject({ port: 8081, path: '/unknown' });
    const unmeshed = { direction: 'outbound', target_addr: `${CATALOG_IP}:8081`, tls: 'no_identity', no_tls_reason: 'not_provided_by_service_discovery' };
    expect(total(metrics(web), 'request_total', unmeshed)).toBe(1);
  });

  it('sends a call to an unknown address whose Host names a service to that service', () => {
    const named = ['curl', '-sf', '--max-time', '10', '-H', 'Host: catalog.shop.svc.cluster.local', `http://${CATALOG_IP}:8081/named`];
    expect(JSON.parse(pods.exec(web, named))).toMatchObject({ port: 8080, path: '/named' });
  });

  it('relays opaque TCP through both proxies byte for byte, to the port it was sent to', () => {
    const bytes = randomBytes(48 * 1024).toString('hex');
    const echoed = pods.exec(web, [process.execPath, '-e', ECHO_CLIENT, ECHO_VIP, '7000', bytes]);
    expect(echoed).toBe(bytes);
    const tunnel = { direction: 'outbound', peer: 'dst', tls: 'true', dst_service: 'echo' };
    expect(total(metrics(web), 'tcp_write_bytes_total', tunnel)).toBe(bytes.length / 2);
    expect(total(metrics(catalog), 'tcp_open_total', { direction: 'inbound', peer: 'dst', target_addr: '127.0.0.1:7000' })).toBe(1);
  });

  it('still routes by Host a call addressed to the outbound port itself (not redirected)', () => {
    const explicit = ['curl', '-sf', '--max-time', '10', '-H', 'Host: catalog.shop.svc.cluster.local', 'http://127.0.0.1:4140/explicit'];
    expect(JSON.parse(pods.exec(web, explicit))).toMatchObject({ port: 8080, path: '/explicit' });
    const byHost = { direction: 'outbound', authority: 'catalog.shop.svc.cluster.local', dst_service: 'catalog', tls: 'true' };
    expect(total(metrics(web), 'request_total', byHost)).toBe(3);
  });

  it('lets a skipped port bypass the proxy, which sees nothing of it', () => {
    const before = total(metrics(web), 'tcp_open_total', { direction: 'outbound' });
    expect(curl(`http://${CATALOG_IP}:${SKIPPED_PORT}/skipped`)).toMatchObject({ port: SKIPPED_PORT, path: '/skipped' });
    expect(total(metrics(web), 'tcp_open_total', { direction: 'outbound' })).toBe(before);
  });

  it("does not loop the proxy's own connections back into it", () => {
    // Eight client connections so far (four by service, two to pod addresses, one echo, one to 4140 itself); a
    // looped connection of the proxy (to the catalog pod, or to the identity service) would have been accepted again.
    expect(total(metrics(web), 'tcp_open_total', { direction: 'outbound', peer: 'src' })).toBe(8);
    expect(proxies.web!.output()).not.toMatch(/"level":(50|60)/);
  });

  it('brings the proxy back to its own inbound side when the app calls its own service and is picked', () => {
    // The outbound side dials the catalog pod's own address: that leaves by lo, and only the rule sending the
    // proxy's lo connections to MESHVIZ_INBOUND lets the mTLS end on the inbound side rather than at the app.
    const self = JSON.parse(pods.exec(catalog, ['curl', '-sf', '--max-time', '10', `http://${CATALOG_VIP}/self`])) as { path: string };
    expect(self.path).toBe('/self');
    const inbound = { direction: 'inbound', tls: 'true', client_id: catalogId, target_addr: '127.0.0.1:8080' };
    expect(total(metrics(catalog), 'request_total', inbound)).toBe(1);
  });

  it('leaves no namespace, link or process behind', async () => {
    await pods.destroy();
    expect(pods.leftovers()).toEqual([]);
  });
});

/** Polls `check` every 200 ms until it holds; fails after 60 s naming what it waited for, with `detail`. */
async function until(check: () => boolean, what: string, detail: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    let ok = false;
    try {
      ok = check();
    } catch {}
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
