import { ENDPOINTS } from '@meshviz/api-client';
import { DNS1123_LABEL, type StatsResponse } from '@meshviz/mesh-types';
import { apiAt } from '../api.js';
import type { CliEnv } from '../config.js';
import { fmtMs, fmtPercent, fmtRps, renderTable } from '../table.js';
import { COMMON_HELP, type CommonOptions, parseCommon } from './api-flags.js';
import { renderServiceSplit } from './service-split.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: meshviz stat [kind] [options]
       meshviz stat svc/<name> -n <namespace> [-w <window>] [-o json]

Golden metrics (success rate, RPS, latency percentiles) per resource, as their own proxies answered them.
  kind: deploy (default), sts, ds, job, cronjob, rs, po, ns, or svc — services are measured by their callers.
  svc/<name>: one service as its callers measured it, its traffic split (per route, each backend's configured
      WEIGHT and its CONFIGURED share beside the MEASURED share of requests) and its backends' endpoints in the
      callers' balancers (READY, PENDING: not ready or tripped by the breaker, and the endpoints TRIPPED in the
      window), with the configured failure accrual.
      --to <kind>/<name>      only each resource's traffic to this destination (deploy, po, svc or ns), as the
                              resource's own outbound proxies measured it
      --from <kind>/<name>    only the traffic each resource received from this source (a workload, po or ns), as
                              the source's outbound proxies measured it; kind must then be deploy, po, svc or ns
      --to-namespace <ns>     namespace of the --to resource (default: -n, or any namespace with -A)
      --from-namespace <ns>   namespace of the --from resource (default: -n, or any namespace with -A)
      --tcp                   add TCP_CONN, READ_BYTES/SEC and WRITE_BYTES/SEC
${COMMON_HELP}`;

/** kubectl-style names and short names of the kinds, to the API's kinds. */
const KINDS: Record<string, string> = {};
for (const [kind, aliases] of Object.entries({
  deployment: ['deploy', 'deployments'],
  statefulset: ['sts', 'statefulsets'],
  daemonset: ['ds', 'daemonsets'],
  job: ['jobs'],
  cronjob: ['cj', 'cronjobs'],
  replicaset: ['rs', 'replicasets'],
  pod: ['po', 'pods'],
  namespace: ['ns', 'namespaces'],
  service: ['svc', 'services'],
})) {
  for (const name of [kind, ...aliases]) KINDS[name] = kind;
}
const TO_KINDS = new Set(['deployment', 'pod', 'service', 'namespace']);

/** The options only `stat` has; the others go to parseCommon. */
const STAT_FLAGS = { '--to': 'value', '--from': 'value', '--to-namespace': 'value', '--from-namespace': 'value', '--tcp': 'boolean' } as const;
type StatFlag = keyof typeof STAT_FLAGS;

function splitStatFlags(argv: string[]): { flags: Partial<Record<StatFlag, string>>; rest: string[] } {
  const flags: Partial<Record<StatFlag, string>> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(0, eq) : arg) as StatFlag;
    if (!(name in STAT_FLAGS)) {
      rest.push(arg);
      continue;
    }
    if (STAT_FLAGS[name] === 'boolean') {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      flags[name] = 'true';
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    flags[name] = value;
  }
  return { flags, rest };
}

/** "svc/web" → kind and name, for --to or --from; the namespace comes from --<side>-namespace or -n. */
function parseEnd(side: 'to' | 'from', arg: string, namespaceFlag: string | undefined, namespace: string) {
  const slash = arg.indexOf('/');
  const kind = KINDS[slash < 0 ? arg : arg.slice(0, slash)];
  const name = slash < 0 ? undefined : arg.slice(slash + 1);
  const allowed = side === 'to' ? 'deploy, po, svc or ns' : 'a workload kind (deploy, sts, …), po or ns';
  if (kind === undefined || (side === 'to' ? !TO_KINDS.has(kind) : kind === 'service')) {
    throw new UsageError(`--${side} "${arg}": the kind must be ${allowed}, e.g. --${side} ${side === 'to' ? 'svc/payments' : 'deploy/web'}`);
  }
  if (name !== undefined && !DNS1123_LABEL.test(name)) {
    throw new UsageError(`--${side} "${arg}": "${name}" is not a ${kind} name (lower-case letters, digits and "-")`);
  }
  if (namespaceFlag !== undefined && !DNS1123_LABEL.test(namespaceFlag)) {
    throw new UsageError(`--${side}-namespace "${namespaceFlag}" is not a namespace name`);
  }
  // A namespace is named by itself; other kinds live in --<side>-namespace, else in -n's namespace.
  const ns = kind === 'namespace' ? undefined : (namespaceFlag ?? (namespace === 'all' ? undefined : namespace));
  return { [`${side}_kind`]: kind, [`${side}_name`]: name, [`${side}_namespace`]: ns };
}

export interface StatArgs {
  common: CommonOptions;
  help: boolean;
  kind: string;
  /** `svc/<name>`: the service whose split and endpoints are shown. */
  service?: string;
  tcp: boolean;
  /** Query parameters of /api/v1/stats. */
  params: Record<string, string | undefined>;
}

export function parseStatArgs(argv: string[], env: Pick<CliEnv, 'MESHVIZ_API_URL'>): StatArgs {
  const { flags, rest } = splitStatFlags(argv);
  const { common, values, positionals } = parseCommon(rest, env);
  if (values.help) return { common, help: true, kind: 'deployment', tcp: false, params: {} };
  if (positionals.length > 1) throw new UsageError(`meshviz stat takes one kind, got "${positionals.join(' ')}"`);
  const given = positionals[0] ?? 'deployment';
  if (given.includes('/')) return parseServiceArgs(given, flags, common);
  const kind = KINDS[given];
  if (kind === undefined) throw new UsageError(`[kind] "${given}": must be one of deploy, sts, ds, job, cronjob, rs, po, ns or svc`);
  const to = flags['--to'];
  const from = flags['--from'];
  if (to !== undefined && from !== undefined) throw new UsageError('--to and --from cannot be combined: ask for one direction at a time');
  for (const side of ['to', 'from'] as const) {
    if (flags[`--${side}-namespace`] !== undefined && flags[`--${side}`] === undefined) {
      throw new UsageError(`--${side}-namespace needs --${side}`);
    }
  }
  if (kind === 'service' && to !== undefined) throw new UsageError('--to: services send no traffic of their own; use --from with svc');
  if (from !== undefined && !TO_KINDS.has(kind)) throw new UsageError(`--from: the kind must then be deploy, po, svc or ns, not ${given}`);
  const tcp = flags['--tcp'] === 'true';
  const params: Record<string, string | undefined> = {
    kind,
    namespace: common.namespace,
    window: common.window,
    ...(to === undefined ? {} : parseEnd('to', to, flags['--to-namespace'], common.namespace)),
    ...(from === undefined ? {} : parseEnd('from', from, flags['--from-namespace'], common.namespace)),
    tcp: tcp ? 'true' : undefined,
  };
  return { common, help: false, kind, tcp, params };
}

/** `svc/<name>`: one service's split and endpoints, in its namespace. */
function parseServiceArgs(given: string, flags: Partial<Record<StatFlag, string>>, common: CommonOptions): StatArgs {
  const slash = given.indexOf('/');
  const kind = KINDS[given.slice(0, slash)];
  const name = given.slice(slash + 1);
  if (kind !== 'service') {
    throw new UsageError(`"${given}": only a service is shown on its own (svc/<name>: its split and endpoints); for ${given.slice(0, slash)} give the kind alone`);
  }
  if (!DNS1123_LABEL.test(name)) throw new UsageError(`"${given}": "${name}" is not a service name (lower-case letters, digits and "-")`);
  const used = Object.keys(flags);
  if (used.length > 0) throw new UsageError(`${used[0]}: not with svc/<name>, which shows one service's split and endpoints`);
  if (common.namespace === 'all') throw new UsageError('-n/--namespace: meshviz stat svc/<name> needs the namespace of the service, e.g. -n bookshop');
  if (!DNS1123_LABEL.test(common.namespace)) throw new UsageError(`-n/--namespace "${common.namespace}" is not a namespace name`);
  return { common, help: false, kind, tcp: false, service: name, params: {} };
}

/** Bytes per second, in the units linkerd viz stat prints them. */
export const fmtBytesPerSec = (v: number | null | undefined): string => {
  if (v === null || v === undefined) return '-';
  if (v < 1000) return `${v.toFixed(1)}B/s`;
  if (v < 1_000_000) return `${(v / 1000).toFixed(1)}KB/s`;
  return `${(v / 1_000_000).toFixed(1)}MB/s`;
};

export function renderStat(stats: StatsResponse, a: Pick<StatArgs, 'kind' | 'tcp' | 'params' | 'common'>): string {
  if (stats.rows.length === 0) {
    const where = a.common.namespace === 'all' ? 'any namespace' : a.common.namespace;
    return `no ${a.kind} resources found in ${where}`;
  }
  // Restarts of the rows' pods, where the runtime counts them (the local runtime does; Kubernetes' are kubectl's).
  const withRestarts = stats.rows.some((r) => r.restarts !== undefined);
  const rows = stats.rows.map((r) => [
    r.namespace,
    r.name,
    String(r.meshedPods),
    r.rps === null ? 'no traffic' : fmtPercent(r.successRate),
    fmtRps(r.rps),
    fmtMs(r.latencyMs.p50),
    fmtMs(r.latencyMs.p95),
    fmtMs(r.latencyMs.p99),
    ...(a.tcp
      ? [r.tcp?.openConnections == null ? '-' : String(r.tcp.openConnections), fmtBytesPerSec(r.tcp?.readBytesPerSec), fmtBytesPerSec(r.tcp?.writeBytesPerSec)]
      : []),
    ...(withRestarts ? [r.restarts === undefined ? '-' : String(r.restarts)] : []),
  ]);
  const headers = [
    'NAMESPACE',
    a.kind.toUpperCase(),
    'MESHED',
    'SUCCESS',
    'RPS',
    'P50',
    'P95',
    'P99',
    ...(a.tcp ? ['TCP_CONN', 'READ_BYTES/SEC', 'WRITE_BYTES/SEC'] : []),
    ...(withRestarts ? ['RESTARTS'] : []),
  ];
  return renderTable(headers, rows, new Set(headers.map((_, i) => i).filter((i) => i >= 2)));
}

export async function runStat(argv: string[], env: CliEnv): Promise<number> {
  const args = parseStatArgs(argv, env);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (args.service !== undefined) {
    const detail = await apiAt(args.common.api).get(ENDPOINTS.serviceDetail, {
      params: { namespace: args.common.namespace, name: args.service },
      query: { window: args.common.window },
    });
    process.stdout.write(args.common.output === 'json' ? `${JSON.stringify(detail, null, 2)}\n` : `${renderServiceSplit(detail)}\n`);
    return 0;
  }
  const stats = await apiAt(args.common.api).get(ENDPOINTS.stats, { query: args.params });
  if (args.common.output === 'json') {
    process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${renderStat(stats, args)}\n`);
  return 0;
}
