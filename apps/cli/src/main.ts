#!/usr/bin/env node
import { runAuthz } from './commands/authz.js';
import { runCheck } from './commands/check.js';
import { runDown } from './commands/down.js';
import { runEdges } from './commands/edges.js';
import { runIdentity } from './commands/identity.js';
import { runInstall, runUninstall } from './commands/install.js';
import { runLogs } from './commands/logs.js';
import { runPolicy } from './commands/policy.js';
import { runRolloutCommand } from './commands/rollout.js';
import { runRoutes } from './commands/routes.js';
import { runRun } from './commands/run.js';
import { runStat } from './commands/stat.js';
import { runTap } from './commands/tap.js';
import { runTop } from './commands/top.js';
import { runUp } from './commands/up.js';
import { UsageError } from './commands/usage-error.js';
import { type CliEnv, loadEnv } from './config.js';

const USAGE = `Usage: meshviz <command> [options]

Commands:
  up       run a whole mesh on this machine (meshviz up --demo, meshviz up -f my-mesh.yaml)
  down     stop the mesh meshviz up is running
  logs     logs of a workload's replicas in the running mesh (-n, --replica, -f)
  run      add one program to the running mesh until it ends (meshviz run -n shop --name api -- node server.js)
  stat     golden metrics per workload, pod, namespace or service (--to, --from, --tcp)
  edges    traffic between workloads and services, secured or not
  routes   golden metrics per route of a workload or a service, retries included
  authz    authorization policy of a workload: allowed, denied and audited traffic per server, route and
           authorization, and refusals by client identity
  check    health of Prometheus, scrape targets and proxies
  tap      stream live requests from the proxies
  top      live table of requests by source, destination and path
  rollout  progressive delivery: shift an HTTPRoute's traffic from a stable backend to a canary in steps,
           rolling back at once when the canary's success rate or p99 breaks its bounds
  identity trust anchor and issuer of the mesh's identity service (meshviz identity init)
  install  print the Kubernetes manifests of the control plane (meshviz install), or of viz
           (meshviz install viz), for kubectl apply -f -
  uninstall print what to delete, for kubectl delete -f -

Run meshviz <command> --help for a command's options.`;

const COMMANDS: Record<string, (argv: string[], env: CliEnv) => Promise<number>> = {
  up: runUp,
  down: runDown,
  logs: runLogs,
  run: runRun,
  stat: runStat,
  edges: runEdges,
  routes: runRoutes,
  authz: runAuthz,
  check: runCheck,
  tap: runTap,
  top: runTop,
  identity: runIdentity,
  install: runInstall,
  uninstall: runUninstall,
  policy: runPolicy,
  rollout: runRolloutCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  return run(rest, loadEnv());
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`meshviz: ${message}\n`);
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.exitCode = usage ? 2 : 1;
}
