import { ENDPOINTS } from '@meshviz/api-client';
import { shortIdentity } from '@meshviz/mesh-types';
import { apiAt } from '../api.js';
import type { CliEnv } from '../config.js';
import { fmtMs, fmtPercent, fmtRps, renderTable } from '../table.js';
import { COMMON_HELP, parseCommon } from './api-flags.js';

const HELP = `Usage: meshviz edges [options]

Traffic between workloads and services, with whether each edge is secured (mTLS): then the identities of its
client and server (shortened to serviceaccount.namespace; -o json has them whole), else why not. DENIED is what
the server's authorization policy refused from the edge's client (requests/s; 403s count as successes).
${COMMON_HELP}`;

/** `sa.ns` for each identity of a comma-separated list. */
const short = (ids: string): string => ids.split(', ').map(shortIdentity).join(', ');

export async function runEdges(argv: string[], env: CliEnv): Promise<number> {
  const { common, values } = parseCommon(argv, env);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const topo = await apiAt(common.api).get(ENDPOINTS.topology, { query: { namespace: common.namespace, window: common.window } });
  if (common.output === 'json') {
    process.stdout.write(`${JSON.stringify(topo.edges, null, 2)}\n`);
    return 0;
  }
  const label = new Map(topo.nodes.map((n) => [n.id, n.kind === 'unmeshed' ? `(unmeshed)/${n.namespace}` : `${n.kind === 'service' ? 'svc' : 'deploy'}/${n.namespace}/${n.name}`]));
  const rows = topo.edges.map((e) => [
    label.get(e.source) ?? e.source,
    label.get(e.target) ?? e.target,
    fmtPercent(e.successRate),
    fmtRps(e.rps),
    e.deniedRps ? fmtRps(e.deniedRps) : '-',
    fmtMs(e.latencyMs.p99),
    e.secured ? '√' : 'no',
    e.clientId ? short(e.clientId) : '',
    e.serverId ? short(e.serverId) : '',
    e.secured ? '' : (e.insecureReason ?? ''),
  ]);
  if (rows.length === 0) {
    process.stdout.write('no traffic between workloads in this window\n');
    return 0;
  }
  const headers = ['SRC', 'DST', 'SUCCESS', 'RPS', 'DENIED', 'P99', 'SECURED', 'CLIENT ID', 'SERVER ID', 'WHY NOT'];
  process.stdout.write(`${renderTable(headers, rows, new Set([2, 3, 4, 5]))}\n`);
  return 0;
}
