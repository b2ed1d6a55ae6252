import { parseArgs } from 'node:util';
import { processExists } from '@meshviz/runtime';
import type { CliEnv } from '../config.js';
import { readCurrent } from '../current-mesh.js';
import { UsageError } from './usage-error.js';

export const DOWN_USAGE = `Usage: meshviz down [--timeout <seconds>]

Stops the mesh \`meshviz up\` is running on this machine, as Ctrl-C in its terminal would: every process, pod,
network namespace and file it made is removed.`;


export async function runDown(argv: string[], _env: CliEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { timeout: { type: 'string', default: '60' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${DOWN_USAGE}\n`);
    return 0;
  }
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout must be a number of seconds, got ${values.timeout}`);
  const current = readCurrent();
  if (!current) {
    process.stdout.write('meshviz down: no local mesh is running\n');
    return 0;
  }
  process.kill(current.pid, 'SIGTERM');
  const deadline = Date.now() + timeout * 1000;
  while (processExists(current.pid)) {
    if (Date.now() > deadline) {
      process.stderr.write(`meshviz down: meshviz up (pid ${current.pid}) is still stopping after ${timeout}s\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.stdout.write(`meshviz down: stopped the mesh of ${current.dashboardUrl} (pid ${current.pid})\n`);
  return 0;
}
