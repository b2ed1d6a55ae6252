import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CompiledAuthorization, DEFAULT_TRUST_DOMAIN, type InboundPolicy } from '@meshviz/mesh-types';
import { compileInboundPolicy, formatPolicyIssue, loadPolicyDir } from '@meshviz/policy';
import type { CliEnv } from '../config.js';
import { renderTable } from '../table.js';
import { packageDir } from '../up/components.js';
import { loadMeshFile } from '../up/mesh-file.js';
import { policyDirOf, policyWorkloads } from '../up/policy.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: meshviz policy check (--demo | -f <mesh.yaml>) [--dir <policy dir>] [-o json]

Validates the mesh's policy resources (Server, AuthorizationPolicy, MeshTLSAuthentication, NetworkAuthentication,
HTTPRoute, GRPCRoute) against its workloads without starting anything: every error names the file, the resource
and the field; warnings name what matches nothing (a Server no workload runs, an identity no workload holds).
Then shows, per workload, which Server covers its port and who may call it. Exits 1 when the policy is invalid.

Options:
  --demo               the bundled demo mesh (apps/demo/mesh.yaml)
  -f, --file <path>    a mesh file
      --dir <dir>      the policy directory (default: the mesh file's policy.dir, relative to it)
  -o, --output <fmt>   table (default) or json
  -h, --help           show this help`;

export async function runPolicy(argv: string[], _env: CliEnv): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    process.stdout.write(`${HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'check') throw new UsageError(`unknown policy command "${sub}"; try meshviz policy check`);
  const { values } = parseArgs({
    args: rest,
    options: {
      demo: { type: 'boolean' },
      file: { type: 'string', short: 'f' },
      dir: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'table' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.output !== 'table' && values.output !== 'json') throw new UsageError(`-o must be table or json, got ${values.output}`);
  if (!values.demo && !values.file) throw new UsageError('meshviz policy check needs --demo or --file <mesh.yaml>');
  const meshFile = values.file ? path.resolve(values.file) : path.join(packageDir('@meshviz/demo'), 'mesh.yaml');
  const mesh = await loadMeshFile(meshFile);
  const dir = values.dir ? path.resolve(values.dir) : policyDirOf(meshFile, mesh);
  const workloads = policyWorkloads(mesh, DEFAULT_TRUST_DOMAIN);
  const loaded = await loadPolicyDir(dir, workloads);
  if (!loaded.ok) {
    if (values.output === 'json') process.stdout.write(`${JSON.stringify({ valid: false, errors: loaded.errors.map(formatPolicyIssue) }, null, 2)}\n`);
    else process.stdout.write(`× policy in ${dir} is invalid:\n${loaded.errors.map((e) => `    ${formatPolicyIssue(e)}\n`).join('')}`);
    return 1;
  }
  const ctx = { trustDomain: workloads.trustDomain, clusterNetworks: workloads.clusterNetworks, revision: 0 };
  const compiled = workloads.workloads.map((w) => compileInboundPolicy(loaded.resources, w, ctx));
  const warnings = loaded.warnings.map(formatPolicyIssue);
  if (values.output === 'json') {
    process.stdout.write(`${JSON.stringify({ valid: true, resources: loaded.resources.length, warnings, policies: compiled }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`√ ${loaded.resources.length} policy resources in ${dir} are valid\n`);
  for (const w of warnings) process.stdout.write(`‼ ${w}\n`);
  process.stdout.write(`\n${renderTable(['WORKLOAD', 'PORT', 'SERVER', 'ROUTE', 'ALLOWED'], compiled.flatMap(rows))}\n`);
  return 0;
}

/** One row per route of each port: who its authorizations let in. */
function rows(policy: InboundPolicy): string[][] {
  const workload = `${policy.workload.namespace}/${policy.workload.name}`;
  return policy.ports.flatMap((port) => {
    const server = port.server.kind === 'default' ? `default:${port.server.name}` : `server/${port.server.name}`;
    const routes = port.routes.length > 0 ? port.routes : [{ kind: 'tcp', name: '', authorizations: port.authorizations }];
    return routes.map((route) => [
      workload,
      String(port.port),
      server,
      route.name ? `${route.kind}/${route.name}` : '-',
      route.authorizations.length > 0 ? route.authorizations.map(describe).join('; ') : 'nobody',
    ]);
  });
}

function describe(a: CompiledAuthorization): string {
  const who =
    a.authentication.kind === 'unauthenticated'
      ? 'anyone'
      : a.authentication.kind === 'tls'
        ? 'any mTLS identity'
        : [...a.authentication.names, ...a.authentication.suffixes.map((s) => `*${s}`)].join(', ');
  const where = a.networks.length > 0 ? ` from ${a.networks.map((n) => n.cidr).join(', ')}` : '';
  return `${who}${where}${a.audit ? ' (audit)' : ''}`;
}
