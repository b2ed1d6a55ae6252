import { parseArgs } from 'node:util';
import type { CliEnv } from '../config.js';
import { resolveApiUrl } from '../current-mesh.js';

export interface CommonOptions {
  api: string;
  output: 'table' | 'json';
  namespace: string;
  window: string;
}

/** Flags every API-client command that reads metrics shares: --api, -o/--output, -n/--namespace, -w/--window. */
export function parseCommon(argv: string[], env: Pick<CliEnv, 'MESHVIZ_API_URL'>) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'table' },
      namespace: { type: 'string', short: 'n', default: 'all' },
      'all-namespaces': { type: 'boolean', short: 'A' },
      window: { type: 'string', short: 'w', default: '1m' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const output = values.output;
  if (output !== 'table' && output !== 'json') throw new Error(`-o/--output must be "table" or "json", got "${String(output)}"`);
  const common: CommonOptions = {
    api: resolveApiUrl(values.api, env.MESHVIZ_API_URL),
    output,
    namespace: values['all-namespaces'] ? 'all' : String(values.namespace),
    window: String(values.window),
  };
  return { common, values, positionals };
}

export const COMMON_HELP = `  -n, --namespace <ns>  namespace, or "all" (default all; -A is the same as -n all)
  -w, --window <d>      time window, 30s..24h (default 1m)
  -o, --output <fmt>    table (default) or json
      --api <url>       meshviz API or dashboard URL (default: the running \`meshviz up\`, else ${'http://127.0.0.1:8084'}; or MESHVIZ_API_URL)`;
