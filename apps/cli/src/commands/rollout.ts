import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENDPOINTS } from '@meshviz/api-client';
import { apiAt } from '../api.js';
import type { CliEnv } from '../config.js';
import { eventHeader, eventLine, shownPath } from '../rollout/lines.js';
import { locateRoute, writeRouteWeights } from '../rollout/route-dir.js';
import { type RolloutIo, runRollout } from '../rollout/runner.js';
import { phaseAfter, type RolloutEvent, type RolloutStatus } from '../rollout/status.js';
import { readStatus, runningElsewhere, statusFileIn, writeStatus } from '../rollout/status-file.js';
import { formatWeights } from '../rollout/steps.js';
import { formatDurationMs } from '../rollout/units.js';
import { fmtMs, fmtPercent } from '../table.js';
import { parseRolloutArgs, type StartArgs } from './rollout-args.js';
import { rolloutAbort, rolloutStatus } from './rollout-record.js';

const HELP = `Usage: meshviz rollout start svc/<service> -n <ns> --route <name> --stable <svc> --canary <svc> [options]
       meshviz rollout status --route <name> [config]
       meshviz rollout abort --route <name> [config]

Progressive delivery: moves the traffic of an HTTPRoute attached to a Service from its stable backend to its canary
in steps, judging the canary by its success rate and p99 latency (from the meshviz API) before every step, and
rolling back to 0% canary at once when it breaks a bound. Only the two backendRefs' weights of the route's file
are changed, atomically; the control plane pushes each change to the proxies.

start (exit 0: promoted to 100%; 1: rolled back, or stopped by a change made outside it; 130: Ctrl-C):
  svc/<service>            the Service the HTTPRoute is attached to (parentRefs kind Service)
  -n, --namespace <ns>     namespace of the route, its Service and its backends
      --route <name>       the HTTPRoute
      --stable <svc>       the backend Service traffic moves from
      --canary <svc>       the backend Service traffic moves to
      --steps <list>       canary shares in percent, rising, ending at 100 (default 5,10,25,50,100); steps at or
                           below the canary's current share are skipped
      --interval <d>       how long each step runs before the canary is judged (default 30s; e.g. 500ms, 1m)
      --min-success <r>    lowest success rate the canary may show, 0.99 or 99% (default 0.99)
      --max-p99 <d>        highest p99 latency the canary may show (default 500ms)
  -w, --window <d>         the API's window for the canary's figures, 30s..24h (default 30s)
      --measure <kind>     deploy: the canary's deployment (named as the canary Service) as its own proxies
                           answered (default); svc: the canary Service as its callers' proxies saw it
      --api <url>          meshviz API or dashboard URL (default: the running \`meshviz up\`, else
                           http://127.0.0.1:8084; or MESHVIZ_API_URL)
  Ctrl-C stops the rollout and leaves the route's weights as they are.

status: prints the rollout's record (<config dir>/.rollout-<route>.json): its phase, weights, plan and decisions.
abort: sets the canary's weight to 0 (the stable backend's to 100); a running start stops at its next step.
  It takes the namespace, Service and backends from the status file, or from -n, svc/<service>, --stable, --canary.

config (one of):
      --config-dir <dir>   the mesh's config directory, which the control plane watches
  -f, --file <mesh.yaml>   a mesh file: its policy.dir (default policy/ beside it)
      --demo               the bundled demo mesh
  -o, --output <fmt>       table (default) or json (one JSON object per decision)`;

export interface RolloutOptions {
  /** Stops a running start as Ctrl-C does (for tests); without it, SIGINT and SIGTERM do. */
  signal?: AbortSignal;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

const EXIT_STOPPED = 130;

export async function runRolloutCommand(argv: string[], env: CliEnv, options: RolloutOptions = {}): Promise<number> {
  const out = options.stdout ?? ((t: string) => void process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => void process.stderr.write(t));
  const args = await parseRolloutArgs(argv, env);
  switch (args.sub) {
    case 'help':
      out(`${HELP}\n`);
      return argv.length === 0 ? 2 : 0;
    case 'status':
      return rolloutStatus(args, out);
    case 'abort':
      return rolloutAbort(args, out);
    case 'start': {
      if (options.signal) return start(args, options.signal, out, err);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        return await start(args, controller.signal, out, err);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    }
  }
}

async function start(args: StartArgs, signal: AbortSignal, out: (t: string) => void, err: (t: string) => void): Promise<number> {
  const { target, plan, configDir } = args;
  const routeName = `HTTPRoute ${target.namespace}/${target.route}`;
  // Refusals first, before anything is written: the route and both backends must be there.
  const located = await locateRoute(configDir, target);
  const statusFile = statusFileIn(configDir, target.route);
  const previous = await readStatus(statusFile);
  if (runningElsewhere(previous)) {
    // The status file is named after the route alone: a same-named route of another namespace shares it.
    const other = `HTTPRoute ${previous.route.namespace}/${previous.route.name}`;
    throw new Error(
      `a rollout of ${other} is already running (pid ${previous.pid}, since ${previous.startedAt}) and records its decisions in ${statusFile}; ` +
        `wait for it, or stop it with Ctrl-C or meshviz rollout abort --route ${previous.route.name}`,
    );
  }
  const api = apiAt(args.api);
  const measure: RolloutIo['measure'] = async (s) => {
    const stats = await api.get(ENDPOINTS.stats, { query: { kind: args.measure.kind, namespace: args.measure.namespace, window: args.window } }, s);
    const row = stats.rows.find((r) => r.name === args.measure.name && r.namespace === args.measure.namespace);
    return row ? { rps: row.rps, successRate: row.successRate, p99Ms: row.latencyMs.p99 } : null;
  };
  // An API that cannot answer stops the rollout before it starts, not at its first judgement.
  try {
    await measure(signal);
  } catch (e) {
    if (!signal.aborted) throw e;
    err(`meshviz rollout: stopped by Ctrl-C before anything was written\n`);
    return EXIT_STOPPED;
  }

  const now = new Date().toISOString();
  let record: RolloutStatus = {
    version: 1,
    route: { namespace: target.namespace, name: target.route, file: path.relative(configDir, located.file) },
    service: target.service,
    stable: target.stable,
    canary: target.canary,
    plan: {
      steps: [...plan.steps],
      intervalMs: plan.intervalMs,
      minSuccessRate: plan.bounds.minSuccessRate,
      maxP99Ms: plan.bounds.maxP99Ms,
      window: args.window,
      measure: args.measure,
    },
    phase: 'running',
    pid: process.pid,
    host: os.hostname(),
    startedAt: now,
    updatedAt: now,
    weights: located.split.weights,
    events: [],
  };
  let abortedBy: RolloutEvent | undefined;
  const json = args.output === 'json';
  if (!json) {
    out(
      `rollout of ${routeName} (${shownPath(located.file)}) on Service ${target.service}: ${target.stable} → ${target.canary}, ` +
        `steps ${plan.steps.join(',')} every ${formatDurationMs(plan.intervalMs)}; the canary (${args.measure.kind} ` +
        `${args.measure.namespace}/${args.measure.name}) must keep success ≥ ${fmtPercent(plan.bounds.minSuccessRate)} ` +
        `and p99 ≤ ${fmtMs(plan.bounds.maxP99Ms)} over ${args.window}\n${eventHeader()}\n`,
    );
  }
  const io: RolloutIo = {
    readWeights: async () => (await locateRoute(configDir, target)).split.weights,
    writeWeights: async (weights) => void (await writeRouteWeights(configDir, target, weights)),
    measure,
    sleep: (ms, s) => sleep(ms, undefined, { signal: s }),
    now: () => new Date(),
    record: async (event) => {
      // `meshviz rollout abort` may have appended to the file since: keep what it wrote.
      const disk = await readStatus(statusFile).catch(() => null);
      const base = disk && disk.startedAt === record.startedAt && disk.pid === record.pid ? disk : record;
      if (event.verdict === 'conflict' && base.phase === 'aborted') {
        abortedBy = base.events.findLast((e) => e.verdict === 'aborted');
        record = base;
      } else {
        record = { ...base, phase: phaseAfter(event.verdict), weights: event.weights, updatedAt: event.time, events: [...base.events, event] };
        await writeStatus(statusFile, record);
      }
      out(`${json ? JSON.stringify(event) : eventLine(event, plan.steps.length)}\n`);
    },
  };

  let last: RolloutEvent;
  try {
    last = await runRollout(plan, io, signal);
  } catch (e) {
    const message = (e as Error).message;
    const event: RolloutEvent = {
      time: new Date().toISOString(),
      verdict: 'error',
      step: null,
      weights: record.weights,
      written: false,
      measured: null,
      reason: `the rollout stopped: ${message}`,
    };
    await io.record(event).catch(() => undefined);
    throw new Error(`rollout of ${routeName} stopped: ${message}; the route was last set to ${formatWeights(record.weights)} (${target.stable}/${target.canary})`);
  }
  const split = `${formatWeights(last.weights)} (${target.stable}/${target.canary})`;
  switch (last.verdict) {
    case 'promoted':
      if (!json) out(`${target.canary} takes all the traffic of ${routeName}: promoted\n`);
      return 0;
    case 'rolled-back':
      err(`meshviz rollout: rolled back ${routeName} to 0% ${target.canary}: ${(last.failures ?? []).map((f) => f.message).join('; ')}\n`);
      return 1;
    case 'stopped':
      err(
        `meshviz rollout: stopped by Ctrl-C; ${routeName} keeps ${split}. ` +
          `meshviz rollout abort --route ${target.route} rolls it back; meshviz rollout start again goes on from there\n`,
      );
      return EXIT_STOPPED;
    default:
      err(
        abortedBy
          ? `meshviz rollout: aborted by meshviz rollout abort at ${abortedBy.time}; ${routeName} is at ${split}\n`
          : `meshviz rollout: ${last.reason}\n`,
      );
      return 1;
  }
}
