import type { CompiledAuthorization, InboundPolicy, PortPolicy } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import type { ProxyRequest } from '../core/stage.js';
import { noTls, securedTls } from '../core/tls-status.js';
import { compilePolicy, defaultPort, PortAuthz } from './compile.js';
import { refusalReason } from './decision.js';

const LEDGER = 'ledger.billing.serviceaccount.identity.meshviz.cluster.local';
const WEB = 'web.shop.serviceaccount.identity.meshviz.cluster.local';
const PLAIN = noTls('no_tls_from_remote');

function request(path: string, more: Partial<ProxyRequest> = {}): ProxyRequest {
  return { method: 'GET', path, headers: [], peer: '10.1.2.3:40000', grpc: false, ...more } as ProxyRequest;
}

const authz = (name: string, rest: Partial<CompiledAuthorization> = {}): CompiledAuthorization => ({
  kind: 'authorizationpolicy',
  name,
  authentication: { kind: 'unauthenticated' },
  networks: [],
  audit: false,
  ...rest,
});

function port(routes: PortPolicy['routes'], authorizations: CompiledAuthorization[] = []): PortPolicy {
  return { port: 8080, protocol: 'HTTP/1', server: { kind: 'server', name: 'web-http' }, routes, authorizations };
}

describe('PortAuthz: routes', () => {
  const compiled = new PortAuthz(
    port([
      {
        kind: 'HTTPRoute',
        name: 'books',
        matches: [
          { path: { type: 'PathPrefix', value: '/books/' }, method: 'GET', headers: [] },
          { path: { type: 'Exact', value: '/admin' }, headers: [{ name: 'X-Admin', type: 'Exact', value: 'yes' }] },
        ],
        authorizations: [authz('anyone')],
      },
      {
        kind: 'HTTPRoute',
        name: 'orders',
        matches: [{ path: { type: 'RegularExpression', value: '/orders/[0-9]+' }, headers: [{ name: 'x-env', type: 'RegularExpression', value: 'prod|stage' }] }],
        authorizations: [authz('anyone-orders')],
      },
      {
        kind: 'GRPCRoute',
        name: 'echo',
        matches: [{ grpc: { service: 'test.Echo', method: 'Unary' }, headers: [] }],
        authorizations: [authz('grpc')],
      },
    ]),
  );
  const route = (r: ProxyRequest) => compiled.decideHttp(PLAIN, r).route;

  it('matches prefixes by whole segments, ignoring the query string and a trailing slash on the prefix', () => {
    expect(route(request('/books'))).toBe('HTTPRoute/books');
    expect(route(request('/books/1?x=2'))).toBe('HTTPRoute/books');
    expect(route(request('http://web.shop:8080/books/2'))).toBe('HTTPRoute/books');
    expect(route(request('/bookshop'))).toBe('');
    expect(route(request('/books', { method: 'POST' }))).toBe('');
  });

  it('matches exact paths with headers (names in any case, any of a repeated header)', () => {
    expect(route(request('/admin', { headers: ['x-admin', 'no', 'X-ADMIN', 'yes'] }))).toBe('HTTPRoute/books');
    expect(route(request('/admin', { headers: ['x-admin', 'no'] }))).toBe('');
    expect(route(request('/admin/'))).toBe('');
  });

  it('matches whole-path and whole-value regular expressions', () => {
    expect(route(request('/orders/12', { headers: ['x-env', 'prod'] }))).toBe('HTTPRoute/orders');
    expect(route(request('/orders/12', { headers: ['x-env', 'production'] }))).toBe('');
    expect(route(request('/orders/12a', { headers: ['x-env', 'prod'] }))).toBe('');
  });

  it('matches gRPC service and method, only on gRPC requests', () => {
    expect(route(request('/test.Echo/Unary', { method: 'POST', grpc: true }))).toBe('GRPCRoute/echo');
    expect(route(request('/test.Echo/UnaryX', { method: 'POST', grpc: true }))).toBe('');
    expect(route(request('/test.EchoX/Unary', { method: 'POST', grpc: true }))).toBe('');
    expect(route(request('/test.Echo/Unary', { method: 'POST', grpc: false }))).toBe('');
  });

  it('answers route_not_found with empty route labels when nothing matches', () => {
    const decision = compiled.decideHttp(PLAIN, request('/nothing'));
    expect(decision.outcome).toBe('route_not_found');
    expect(decision.labels).toEqual({
      srv_kind: 'server',
      srv_name: 'web-http',
      srv_port: '8080',
      route_kind: '',
      route_name: '',
      authz_kind: '',
      authz_name: '',
    });
    expect(refusalReason(decision, PLAIN, '10.1.2.3:1')).toBe('no route of server/web-http matches the request');
  });
});

describe('PortAuthz: authorizations', () => {
  const compiled = new PortAuthz(
    port([
      {
        kind: 'HTTPRoute',
        name: 'all',
        matches: [{ headers: [] }],
        authorizations: [
          authz('audit', { audit: true, kind: 'audit' }),
          authz('ledger', { authentication: { kind: 'identities', names: [LEDGER], suffixes: [] } }),
          authz('shop', { authentication: { kind: 'identities', names: [], suffixes: ['.shop.serviceaccount.identity.meshviz.cluster.local'] } }),
          authz('internal', {
            authentication: { kind: 'unauthenticated' },
            networks: [{ cidr: '10.0.0.0/8', except: ['10.9.0.0/16'] }, { cidr: 'fd00::/8', except: [] }],
          }),
        ],
      },
    ]),
  );

  it('allows by exact identity or suffix, and by network with except ranges', () => {
    expect(compiled.decideHttp(securedTls(LEDGER), request('/', { peer: '203.0.113.1:1' })).authorization).toBe('authorizationpolicy/ledger');
    expect(compiled.decideHttp(securedTls(WEB), request('/', { peer: '203.0.113.1:1' })).authorization).toBe('authorizationpolicy/shop');
    expect(compiled.decideHttp(PLAIN, request('/', { peer: '10.1.1.1:1' })).authorization).toBe('authorizationpolicy/internal');
    expect(compiled.decideHttp(PLAIN, request('/', { peer: 'fd00::5:1' })).authorization).toBe('authorizationpolicy/internal');
  });

  it('tries audit authorizations last: a client they let in is labelled audit', () => {
    const decision = compiled.decideHttp(PLAIN, request('/', { peer: '10.9.1.1:1' }));
    expect(decision.outcome).toBe('allow');
    expect(decision.audit).toBe(true);
    expect(decision.labels.authz_kind).toBe('audit');
  });

  it('hands out the same prebuilt decision for every request it fits', () => {
    const a = compiled.decideHttp(securedTls(LEDGER), request('/a'));
    const b = compiled.decideHttp(securedTls(LEDGER), request('/b?x'));
    expect(a).toBe(b);
  });

  it('denies with the server and route named and authz_* empty, and says why', () => {
    const strict = new PortAuthz(port([{ kind: 'HTTPRoute', name: 'r', matches: [{ headers: [] }], authorizations: [authz('ledger', { authentication: { kind: 'identities', names: [LEDGER], suffixes: [] } })] }]));
    const decision = strict.decideHttp(securedTls(WEB), request('/', { peer: '10.1.2.3:5' }));
    expect(decision.outcome).toBe('deny');
    expect(decision.labels).toMatchObject({ route_kind: 'HTTPRoute', route_name: 'r', authz_kind: '', authz_name: '' });
    expect(decision.authorization).toBeNull();
    expect(refusalReason(decision, securedTls(WEB), '10.1.2.3:5')).toBe(`no authorization of server/web-http allows client ${WEB} from 10.1.2.3`);
    expect(refusalReason(decision, PLAIN, '10.1.2.3:5')).toBe(
      'no authorization of server/web-http allows a client without mTLS (no mTLS: no_tls_from_remote) from 10.1.2.3',
    );
    // No parseable address: networks never match, authorizations without networks still do.
    const byNetwork = new PortAuthz(port([{ kind: 'HTTPRoute', name: 'r', matches: [{ headers: [] }], authorizations: [authz('net', { networks: [{ cidr: '0.0.0.0/0', except: [] }] })] }]));
    expect(byNetwork.decideHttp(PLAIN, request('/', { peer: '?:0' })).outcome).toBe('deny');
  });

  it('uses the port authorizations as one default/default route on a port without routes, and for opaque connections', () => {
    const noRoutes = new PortAuthz(port([], [authz('tls-only', { authentication: { kind: 'tls' } })]));
    const allowed = noRoutes.decideHttp(securedTls(WEB), request('/x'));
    expect(allowed.route).toBe('default/default');
    expect(allowed.labels.authz_name).toBe('tls-only');
    expect(noRoutes.decideHttp(PLAIN, request('/x')).outcome).toBe('deny');
    const tcp = noRoutes.decideTcp(securedTls(WEB), '10.0.0.1:1');
    expect(tcp.outcome).toBe('allow');
    expect(tcp.labels).toEqual({ srv_kind: 'server', srv_name: 'web-http', srv_port: '8080', authz_kind: 'authorizationpolicy', authz_name: 'tls-only' });
    expect(noRoutes.decideTcp(PLAIN, '10.0.0.1:1').outcome).toBe('deny');
  });
});

describe('default policies', () => {
  const defaults = (defaultPolicy: InboundPolicy['defaultPolicy']) => defaultPort(8080, { defaultPolicy, clusterNetworks: ['10.0.0.0/8'], probePaths: ['/healthz'] });

  it('deny refuses everyone but GET of the probe paths', () => {
    const deny = defaults('deny');
    expect(deny.decideHttp(PLAIN, request('/healthz')).labels).toMatchObject({ route_name: 'probe', authz_name: 'default:probe', srv_kind: 'default', srv_name: 'deny' });
    expect(deny.decideHttp(PLAIN, request('/healthz', { method: 'POST' })).outcome).toBe('deny');
    expect(deny.decideHttp(securedTls(WEB), request('/x')).outcome).toBe('deny');
    expect(deny.decideTcp(securedTls(WEB), '10.0.0.1:1').outcome).toBe('deny');
  });

  it('all-authenticated needs mTLS; cluster-* need a cluster address; audit allows, flagged', () => {
    expect(defaults('all-authenticated').decideHttp(PLAIN, request('/x')).outcome).toBe('deny');
    expect(defaults('all-authenticated').decideHttp(securedTls(WEB), request('/x')).labels.authz_name).toBe('default:all-authenticated');
    expect(defaults('cluster-unauthenticated').decideHttp(PLAIN, request('/x', { peer: '10.0.0.1:1' })).outcome).toBe('allow');
    expect(defaults('cluster-unauthenticated').decideHttp(PLAIN, request('/x', { peer: '192.0.2.1:1' })).outcome).toBe('deny');
    expect(defaults('cluster-authenticated').decideHttp(PLAIN, request('/x', { peer: '10.0.0.1:1' })).outcome).toBe('deny');
    const audited = defaults('audit').decideHttp(PLAIN, request('/x'));
    expect(audited).toMatchObject({ outcome: 'allow', audit: true, authorization: 'audit/audit' });
  });
});

describe('compilePolicy', () => {
  const base: InboundPolicy = {
    workload: { namespace: 'shop', name: 'web' },
    revision: 7,
    defaultPolicy: 'all-authenticated',
    clusterNetworks: ['10.0.0.0/8'],
    probePaths: [],
    ports: [port([{ kind: 'HTTPRoute', name: 'r', matches: [{ headers: [] }], authorizations: [authz('a')] }])],
  };

  it("takes the served port's entry, or the policy's own default for a port it does not list", () => {
    expect(compilePolicy(base, 8080).server).toEqual({ kind: 'server', name: 'web-http', port: '8080' });
    const other = compilePolicy(base, 9090);
    expect(other.server).toEqual({ kind: 'default', name: 'all-authenticated', port: '9090' });
    expect(other.decideHttp(PLAIN, request('/')).outcome).toBe('deny');
  });

  it('keys decisions by their labels, so equal decisions of two revisions share series', () => {
    const a = compilePolicy(base, 8080).decideHttp(PLAIN, request('/'));
    const b = compilePolicy({ ...base, revision: 8 }, 8080).decideHttp(PLAIN, request('/'));
    expect(a).not.toBe(b);
    expect(a.key).toBe(b.key);
  });

  it('refuses a malformed policy naming the revision, port, route and what is wrong, whichever port it is about', () => {
    const badRegex = { ...base, ports: [port([{ kind: 'HTTPRoute', name: 'r', matches: [{ path: { type: 'RegularExpression', value: '(' }, headers: [] }], authorizations: [] }])] };
    expect(() => compilePolicy(badRegex, 9090)).toThrow(
      /^policy revision 7: port 8080: route HTTPRoute\/r: matches\[0\]: path: "\(" is not a valid regular expression/,
    );
    const badCidr = { ...base, ports: [port([{ kind: 'HTTPRoute', name: 'r', matches: [{ headers: [] }], authorizations: [authz('n', { networks: [{ cidr: '10.0.0.0/40', except: [] }] })] }])] };
    expect(() => compilePolicy(badCidr, 8080)).toThrow(
      'policy revision 7: port 8080: route HTTPRoute/r: authorization authorizationpolicy/n: "10.0.0.0/40" is not a CIDR',
    );
    expect(() => compilePolicy({ ...base, clusterNetworks: ['x'] }, 8080)).toThrow('policy revision 7: clusterNetworks: "x" is not a CIDR');
  });
});
