import { parseArgs } from 'node:util';
import type { CliEnv } from '../config.js';
import { readCurrent, resolveApiUrl } from '../current-mesh.js';
import { UsageError } from './usage-error.js';

export const TAP_HELP = `  <resource>              deploy/<name>, pod/<name> or ns/<name> (default: the whole namespace of -n)
  -n, --namespace <ns>    namespace of the resource (required unless ns/<name>)
      --to <resource>     only requests towards deploy/<name> (with --to-namespace, default the same namespace)
      --to-namespace <ns>
      --method <m>        only this HTTP method
      --path <prefix>     only paths starting with this prefix
      --authority <host>  only this authority
      --direction <d>     inbound or outbound
      --max-rps <n>       most requests per second over all proxies (default 100, at most 1000)
  -o, --output <fmt>      table (default) or json (one JSON object per line)
      --token <t>         tap token (default: MESHVIZ_TAP_TOKEN or the running \`meshviz up\`)
      --api <url>         meshviz API or dashboard URL`;

/** Parses the flags `tap` and `top` share into the API's query parameters. */
export function parseTapArgs(argv: string[], env: Pick<CliEnv, 'MESHVIZ_API_URL' | 'MESHVIZ_TAP_TOKEN'>) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      namespace: { type: 'string', short: 'n' },
      to: { type: 'string' },
      'to-namespace': { type: 'string' },
      method: { type: 'string' },
      path: { type: 'string' },
      authority: { type: 'string' },
      direction: { type: 'string' },
      'max-rps': { type: 'string' },
      output: { type: 'string', short: 'o', default: 'table' },
      token: { type: 'string' },
      api: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const params: Record<string, string> = {};
  const [kind, name] = (positionals[0] ?? '').split('/');
  if (positionals[0] && !name) throw new UsageError(`resource must be deploy/<name>, pod/<name> or ns/<name>, got "${positionals[0]}"`);
  if (kind === 'ns' || kind === 'namespace') params.namespace = name!;
  else if (kind === 'deploy' || kind === 'deployment') params.workload = name!;
  else if (kind === 'po' || kind === 'pod') params.pod = name!;
  else if (kind) throw new UsageError(`unknown resource kind "${kind}": use deploy, pod or ns`);
  if (values.namespace) params.namespace ??= values.namespace;
  if (!params.namespace && !values.help) throw new UsageError('say which namespace: -n <namespace> (or ns/<name>)');
  if (values.to) {
    const [toKind, toName] = values.to.split('/');
    if (!toName || !['deploy', 'deployment'].includes(toKind ?? '')) throw new UsageError('--to must be deploy/<name>');
    params.to_workload = toName;
    params.to_namespace = values['to-namespace'] ?? params.namespace ?? '';
  }
  for (const [flag, param] of [['method', 'method'], ['path', 'path'], ['authority', 'authority'], ['direction', 'direction'], ['max-rps', 'max_rps']] as const) {
    const v = values[flag];
    if (v !== undefined) params[param] = v;
  }
  const output = values.output;
  if (output !== 'table' && output !== 'json') throw new UsageError(`-o/--output must be "table" or "json", got "${output}"`);
  const token = values.token ?? env.MESHVIZ_TAP_TOKEN ?? readCurrent()?.tapToken;
  return { params, output, token, api: resolveApiUrl(values.api, env.MESHVIZ_API_URL), help: values.help === true };
}

/** The tap token, which tapping cannot go without. */
export function requireToken(token: string | undefined): string {
  if (!token) throw new UsageError('tapping needs the tap token: pass --token or set MESHVIZ_TAP_TOKEN');
  return token;
}
