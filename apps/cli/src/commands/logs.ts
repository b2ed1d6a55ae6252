import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliEnv } from '../config.js';
import { readCurrent } from '../current-mesh.js';
import { readNew } from './file-tail.js';
import { UsageError } from './usage-error.js';

export const LOGS_USAGE = `Usage: meshviz logs <workload> [-n <namespace>] [--replica <i>] [--container app|proxy] [-f]

Prints the logs of a workload's replicas in the mesh \`meshviz up\` is running (each line prefixed with its pod
when there are several). Logs are kept per replica and per container across restarts.

Options:
  -n, --namespace <ns>     the workload's namespace (needed when two namespaces have a workload of that name)
      --replica <i>        only this replica (counted from 0)
  -c, --container <name>   app (default) or proxy
  -f, --follow             keep printing what is written
      --run-dir <dir>      the run's directory (default: the running mesh's)
  -h, --help               show this help`;

interface LogFile {
  namespace: string;
  pod: string;
  file: string;
}

/** The log files of a workload's replicas: `<ns>_<workload>-<i>_<container>.log` under <runDir>/logs. */
export function workloadLogs(logDir: string, workload: string, container: string, namespace?: string, replica?: number): LogFile[] {
  const re = new RegExp(`^([a-z0-9-]+)_(${workload.replace(/[^a-z0-9-]/g, '')}-(\\d+))_${container}\\.log$`);
  const found: (LogFile & { index: number })[] = [];
  for (const name of existsSync(logDir) ? readdirSync(logDir) : []) {
    const m = re.exec(name);
    if (!m || (namespace && m[1] !== namespace)) continue;
    if (replica !== undefined && Number(m[3]) !== replica) continue;
    found.push({ namespace: m[1]!, pod: m[2]!, file: path.join(logDir, name), index: Number(m[3]) });
  }
  return found.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.index - b.index);
}

export async function runLogs(argv: string[], _env: CliEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      namespace: { type: 'string', short: 'n' },
      replica: { type: 'string' },
      container: { type: 'string', short: 'c', default: 'app' },
      follow: { type: 'boolean', short: 'f' },
      'run-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${LOGS_USAGE}\n`);
    return 0;
  }
  const [workload, ...extra] = positionals;
  if (!workload || extra.length > 0) throw new UsageError(`meshviz logs takes one workload\n\n${LOGS_USAGE}`);
  if (values.container !== 'app' && values.container !== 'proxy') throw new UsageError(`--container must be app or proxy, got ${values.container}`);
  const replica = values.replica === undefined ? undefined : Number(values.replica);
  if (replica !== undefined && !(Number.isInteger(replica) && replica >= 0)) throw new UsageError(`--replica must be a replica index (0, 1, …), got ${values.replica}`);
  const runDir = values['run-dir'] ?? readCurrent()?.runDir;
  if (!runDir) throw new UsageError('no local mesh is running (start one with meshviz up), or name its directory with --run-dir');
  const files = workloadLogs(path.join(runDir, 'logs'), workload, values.container, values.namespace, replica);
  const where = `${values.namespace ? ` in namespace ${values.namespace}` : ''}${replica === undefined ? '' : ` with replica ${replica}`}`;
  if (files.length === 0) throw new UsageError(`no workload "${workload}"${where} in the mesh running from ${runDir}`);
  const namespaces = new Set(files.map((f) => f.namespace));
  if (namespaces.size > 1) throw new UsageError(`"${workload}" is a workload of namespaces ${[...namespaces].join(', ')}: choose one with -n`);
  const prefix = files.length > 1;
  const offsets = new Map<string, number>();
  const print = async (f: LogFile) => {
    const from = offsets.get(f.file) ?? 0;
    const buf = await readNew(f.file, from);
    if (buf.length === 0) return;
    // Whole lines only, the rest on the next round.
    const text = buf.toString('utf8');
    const end = values.follow ? text.lastIndexOf('\n') + 1 : text.length;
    offsets.set(f.file, from + Buffer.byteLength(text.slice(0, end)));
    const lines = text.slice(0, end).split('\n');
    if (lines.at(-1) === '') lines.pop();
    process.stdout.write(lines.map((l) => (prefix ? `[${f.pod}] ${l}` : l)).join('\n') + (lines.length > 0 ? '\n' : ''));
  };
  if (!values.follow) {
    for (const f of files) await print(f);
    return 0;
  }
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  while (!stop && existsSync(runDir)) {
    for (const f of files) await print(f);
    await new Promise((r) => setTimeout(r, 300));
  }
  return 0;
}
