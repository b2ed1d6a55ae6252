import path from 'node:path';
import { parseArgs } from 'node:util';
import { DNS1123_LABEL, WindowParam } from '@meshviz/mesh-types';
import type { CliEnv } from '../config.js';
import { resolveApiUrl } from '../current-mesh.js';
import type { SplitTarget } from '../rollout/route-split.js';
import type { RolloutPlan } from '../rollout/runner.js';
import { DEFAULT_STEPS, parseSteps } from '../rollout/steps.js';
import { parseDurationMs, parseShare } from '../rollout/units.js';
import { packageDir } from '../up/components.js';
import { loadMeshFile } from '../up/mesh-file.js';
import { policyDirOf } from '../up/policy.js';
import { UsageError } from './usage-error.js';

/** Kubernetes object names (an HTTPRoute's): DNS-1123 subdomains. The status file is named after the route. */
const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  route: { type: 'string' },
  stable: { type: 'string' },
  canary: { type: 'string' },
  steps: { type: 'string' },
  interval: { type: 'string' },
  'min-success': { type: 'string' },
  'max-p99': { type: 'string' },
  window: { type: 'string', short: 'w' },
  measure: { type: 'string' },
  'config-dir': { type: 'string' },
  demo: { type: 'boolean' },
  file: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o', default: 'table' },
  api: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options that only `start` takes. */
const START_ONLY = ['steps', 'interval', 'min-success', 'max-p99', 'window', 'measure', 'api'] as const;

export type Output = 'table' | 'json';

export interface MeasureTarget {
  kind: 'deployment' | 'service';
  namespace: string;
  name: string;
}

export interface StartArgs {
  sub: 'start';
  configDir: string;
  output: Output;
  target: SplitTarget;
  plan: RolloutPlan;
  window: string;
  measure: MeasureTarget;
  api: string;
}

export interface StatusArgs {
  sub: 'status';
  configDir: string;
  output: Output;
  route: string;
}

/** What abort knows from its flags; the rest comes from the rollout's status file. */
export interface AbortArgs {
  sub: 'abort';
  configDir: string;
  output: Output;
  route: string;
  given: Partial<SplitTarget>;
}

export type RolloutArgs = StartArgs | StatusArgs | AbortArgs | { sub: 'help' };

const SUBCOMMANDS = ['start', 'status', 'abort'] as const;

function name(flag: string, value: string | undefined, pattern: RegExp = DNS1123_LABEL): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new UsageError(`${flag} "${value}" is not a name (lower-case letters, digits and "-")`);
  return value;
}

function parsed<T>(flag: string, value: string, parse: (v: string) => T): T {
  try {
    return parse(value);
  } catch (err) {
    throw new UsageError(`${flag} "${value}": ${(err as Error).message}`);
  }
}

/** The positional `svc/<name>`: the Service the route is attached to. */
function parseService(positionals: string[], sub: string): string | undefined {
  if (positionals.length > 1) throw new UsageError(`meshviz rollout ${sub} takes one Service, got "${positionals.join(' ')}"`);
  const [arg] = positionals;
  if (arg === undefined) return undefined;
  const slash = arg.indexOf('/');
  const kind = arg.slice(0, Math.max(slash, 0));
  if (!['svc', 'service', 'services'].includes(kind)) {
    throw new UsageError(`"${arg}": name the Service the route is attached to as svc/<name>, e.g. svc/reviews`);
  }
  return name(`"${arg}":`, arg.slice(slash + 1));
}

/** The mesh's config directory: --config-dir, or the policy.dir of -f's mesh file or of the demo's. */
async function configDirOf(values: { 'config-dir'?: string; demo?: boolean; file?: string }): Promise<string> {
  const given = [values['config-dir'] !== undefined && '--config-dir', values.demo && '--demo', values.file !== undefined && '-f/--file'].filter(
    (g): g is string => typeof g === 'string',
  );
  if (given.length === 0) {
    throw new UsageError("meshviz rollout needs the mesh's config directory: --config-dir <dir>, -f <mesh.yaml> (its policy.dir) or --demo");
  }
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be combined: name the config directory once`);
  if (values['config-dir'] !== undefined) return path.resolve(values['config-dir']);
  const meshFile = values.file !== undefined ? path.resolve(values.file) : path.join(packageDir('@meshviz/demo'), 'mesh.yaml');
  return policyDirOf(meshFile, await loadMeshFile(meshFile));
}

export async function parseRolloutArgs(argv: string[], env: Pick<CliEnv, 'MESHVIZ_API_URL'>): Promise<RolloutArgs> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') return { sub: 'help' };
  const sub = SUBCOMMANDS.find((s) => s === first);
  if (sub === undefined) throw new UsageError(`unknown rollout command "${first}": meshviz rollout start, status or abort`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: OPTIONS, strict: true });
  if (values.help) return { sub: 'help' };
  const output = values.output;
  if (output !== 'table' && output !== 'json') throw new UsageError(`-o/--output must be "table" or "json", got "${output}"`);
  const route = name('--route', values.route, DNS1123_SUBDOMAIN);
  if (route === undefined) throw new UsageError(`meshviz rollout ${sub} needs --route <HTTPRoute name>`);
  if (sub !== 'start') {
    const startOnly = START_ONLY.find((o) => values[o] !== undefined);
    if (startOnly) throw new UsageError(`--${startOnly} is an option of meshviz rollout start, not of ${sub}`);
  }
  const service = parseService(positionals, sub);
  const namespace = name('-n/--namespace', values.namespace);
  const stable = name('--stable', values.stable);
  const canary = name('--canary', values.canary);
  if (sub === 'status') {
    const extra = [service && 'svc/<name>', namespace && '-n', stable && '--stable', canary && '--canary'].find(Boolean);
    if (extra) throw new UsageError(`meshviz rollout status reads the route's status file; ${extra} is not needed`);
    return { sub, configDir: await configDirOf(values), output, route };
  }
  if (sub === 'abort') {
    const given = Object.fromEntries(Object.entries({ namespace, service, stable, canary }).filter(([, v]) => v !== undefined));
    return { sub, configDir: await configDirOf(values), output, route, given };
  }
  if (service === undefined) throw new UsageError('meshviz rollout start needs the Service the route is attached to, e.g. svc/reviews');
  if (namespace === undefined) throw new UsageError('meshviz rollout start needs -n/--namespace <ns>: the namespace of the route and its Service');
  if (stable === undefined || canary === undefined) throw new UsageError(`meshviz rollout start needs ${stable === undefined ? '--stable' : '--canary'} <backend Service>`);
  if (stable === canary) throw new UsageError(`--stable and --canary are both "${stable}": a rollout shifts traffic between two backends`);
  const window = values.window ?? '30s';
  const windowCheck = WindowParam.safeParse(window);
  if (!windowCheck.success) throw new UsageError(`--window "${window}": ${windowCheck.error.issues[0]?.message}`);
  const measureKind = values.measure ?? 'deploy';
  const kind = ({ deploy: 'deployment', deployment: 'deployment', svc: 'service', service: 'service' } as const)[measureKind];
  if (kind === undefined) throw new UsageError(`--measure "${measureKind}": must be deploy (the canary's own proxies) or svc (its callers' proxies)`);
  const maxP99Ms = parsed('--max-p99', values['max-p99'] ?? '500ms', parseDurationMs);
  return {
    sub,
    configDir: await configDirOf(values),
    output,
    target: { namespace, route, service, stable, canary },
    plan: {
      steps: values.steps === undefined ? DEFAULT_STEPS : parsed('--steps', values.steps, parseSteps),
      intervalMs: parsed('--interval', values.interval ?? '30s', parseDurationMs),
      bounds: { minSuccessRate: parsed('--min-success', values['min-success'] ?? '0.99', parseShare), maxP99Ms },
    },
    window,
    measure: { kind, namespace, name: canary },
    api: resolveApiUrl(values.api, env.MESHVIZ_API_URL),
  };
}
