import { AUTHZ_KINDS, type AuthzKind, ENDPOINTS } from '@meshviz/api-client';
import { AUTHZ_OTHER_CLIENTS, type AuthzResponse, type AuthzRow, DNS1123_LABEL, shortIdentity } from '@meshviz/mesh-types';
import { apiAt } from '../api.js';
import type { CliEnv } from '../config.js';
import { fmtMs, fmtPercent, fmtRps, renderTable } from '../table.js';
import { COMMON_HELP, type CommonOptions, parseCommon } from './api-flags.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: meshviz authz <resource> -n <namespace> [options]

Authorization policy as the resource's own proxies applied it, per server, route and authorization.
<resource> is a workload or a pod: deploy/web (or just web), sts/db, ds/agent, job/migrate, cj/report, rs/web-1a2b,
po/web-0.
  SERVER          kind/name of the Server, or default:<policy> for a port no Server covers (shown only while
                  it sees traffic)
  AUTHORIZATION   what let the requests in; [denied] for those refused
  UNAUTHORIZED    refused per second; on audit rows, what audit let in that a deny would have refused
  SUCCESS, RPS, LATENCY_*   of the allowed requests
Ports checked per connection (opaque, TLS) show as route [tcp], counted in connections per second.
A second table, DENIED BY CLIENT, gives the refusals by client identity (shortened to serviceaccount.namespace;
-o json has them whole): [no mTLS] for clients without one, [other] for identities past a proxy's limit.
${COMMON_HELP.replace('namespace, or "all" (default all; -A is the same as -n all)', 'namespace of the resource (required)')}`;

/** kubectl-style names of the kinds /api/v1/authz takes. */
const KINDS: Record<string, AuthzKind> = {};
for (const [kind, aliases] of Object.entries({
  deployment: ['deploy', 'deployments'],
  statefulset: ['sts', 'statefulsets'],
  daemonset: ['ds', 'daemonsets'],
  job: ['jobs'],
  cronjob: ['cj', 'cronjobs'],
  replicaset: ['rs', 'replicasets'],
  pod: ['po', 'pods'],
} satisfies Record<AuthzKind, string[]>)) {
  for (const name of [kind, ...aliases]) KINDS[name] = kind as AuthzKind;
}

/** "deploy/web", "po/web-0" or "web" → the kind and name of /api/v1/authz. */
export function parseAuthzTarget(arg: string | undefined): { kind: AuthzKind; name: string } {
  if (arg === undefined) throw new UsageError(`meshviz authz needs a resource, e.g. "deploy/web"\n\n${HELP}`);
  const slash = arg.indexOf('/');
  const given = slash < 0 ? 'deploy' : arg.slice(0, slash);
  const name = arg.slice(slash + 1);
  const kind = KINDS[given];
  if (kind === undefined) {
    throw new UsageError(`<resource> "${arg}": the kind must be a workload kind (deploy, sts, ds, job, cj, rs) or po, e.g. "deploy/web"`);
  }
  if (!DNS1123_LABEL.test(name)) {
    throw new UsageError(`<resource> "${arg}": "${name}" is not a ${kind} name (lower-case letters, digits and "-")`);
  }
  return { kind, name };
}

export interface AuthzArgs {
  common: CommonOptions;
  help: boolean;
  /** Query parameters of /api/v1/authz. */
  params: { kind: AuthzKind; namespace: string; name: string; window: string };
}

export function parseAuthzArgs(argv: string[], env: Pick<CliEnv, 'MESHVIZ_API_URL'>): AuthzArgs {
  const { common, values, positionals } = parseCommon(argv, env);
  const params = { kind: AUTHZ_KINDS[0], namespace: common.namespace, name: '', window: common.window };
  if (values.help) return { common, help: true, params };
  if (positionals.length > 1) throw new UsageError(`meshviz authz takes one <resource>, got "${positionals.join(' ')}"`);
  const target = parseAuthzTarget(positionals[0]);
  if (common.namespace === 'all') {
    throw new UsageError('-n/--namespace: meshviz authz needs the namespace of the resource, e.g. -n shop');
  }
  if (!DNS1123_LABEL.test(common.namespace)) {
    throw new UsageError(`-n/--namespace "${common.namespace}" is not a namespace name (lower-case letters, digits and "-")`);
  }
  return { common, help: false, params: { ...params, ...target } };
}

/** `default:<policy>` for a port no Server covers, `kind/name` otherwise. */
export const serverName = (s: AuthzRow['server']): string => (s.kind === 'default' ? `default:${s.name}` : `${s.kind}/${s.name}`);
const routeName = (r: AuthzRow['route']): string => (r.kind === '' && r.name === '' ? '[tcp]' : r.name);
/** Defaults and audit are named by their name alone (`default:all-authenticated`, `audit`); others as kind/name. */
const authorizationName = (a: AuthzRow['authorization']): string =>
  a === null ? '[denied]' : a.kind === 'default' || a.kind === a.name ? a.name : `${a.kind}/${a.name}`;
const clientName = (id: string): string => (id === '' ? '[no mTLS]' : id === AUTHZ_OTHER_CLIENTS ? '[other]' : shortIdentity(id));

export function renderAuthz(authz: AuthzResponse): string {
  const { kind, namespace, name } = authz.resource;
  if (authz.rows.length === 0) return `no authorization traffic of ${kind} ${namespace}/${name} in the last ${authz.window}`;
  const rows = authz.rows.map((r) => {
    const denied = r.authorization === null;
    return [
      routeName(r.route),
      serverName(r.server),
      authorizationName(r.authorization),
      fmtRps(r.deniedRps + r.auditedRps),
      fmtPercent(r.successRate),
      denied ? '-' : fmtRps(r.allowedRps),
      fmtMs(r.latency.p50),
      fmtMs(r.latency.p95),
      fmtMs(r.latency.p99),
    ];
  });
  const headers = ['ROUTE', 'SERVER', 'AUTHORIZATION', 'UNAUTHORIZED', 'SUCCESS', 'RPS', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99'];
  const out = [renderTable(headers, rows, new Set([3, 4, 5, 6, 7, 8]))];
  if (authz.denials.length > 0) {
    const denials = authz.denials.map((d) => [clientName(d.clientId), serverName(d.server), routeName(d.route), fmtRps(d.deniedRps)]);
    out.push('', 'DENIED BY CLIENT', renderTable(['CLIENT ID', 'SERVER', 'ROUTE', 'RPS'], denials, new Set([3])));
  }
  return out.join('\n');
}

export async function runAuthz(argv: string[], env: CliEnv): Promise<number> {
  const args = parseAuthzArgs(argv, env);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const authz = await apiAt(args.common.api).get(ENDPOINTS.authz, { query: args.params });
  process.stdout.write(`${args.common.output === 'json' ? JSON.stringify(authz, null, 2) : renderAuthz(authz)}\n`);
  return 0;
}
