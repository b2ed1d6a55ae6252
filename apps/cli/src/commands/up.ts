import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDurationSeconds } from '@meshviz/mesh-types';
import { type CliEnv, meshvizHome } from '../config.js';
import { CURRENT_FILE } from '../current-mesh.js';
import { defaultIdentityDir } from '../identity/trust-dir.js';
import { packageDir } from '../up/components.js';
import { InterruptedError, up } from '../up/index.js';
import { loadMeshFile } from '../up/mesh-file.js';
import { PolicyFilesError, policyDirOf } from '../up/policy.js';
import { PortInUseError } from '../up/ports.js';
import { consoleProgress } from '../up/progress.js';
import { findPrometheus } from '../up/prometheus.js';
import { UsageError } from './usage-error.js';

/** Pods are opt-in until transparent interception is part of every installation. */
export const DEFAULT_PODS = 'off';

export const UP_USAGE = `Usage: meshviz up (--demo | --file <mesh.yaml>) [options]

Runs a whole mesh on this machine: every replica beside its own proxy, Prometheus, the API and the dashboard.
Ctrl-C stops all of it.

Options:
  --demo                     run the bundled demo mesh (apps/demo/mesh.yaml)
  -f, --file <mesh.yaml>     run the mesh described by this file
  -p, --port <n>             dashboard port (default 8084 or MESHVIZ_PORT; 0 = any free port)
      --host <addr>          address the dashboard binds (default 127.0.0.1 or MESHVIZ_HOST)
      --scrape-interval <d>  Prometheus scrape interval, 1s..10s (default 5s)
      --rate <n>             override the load generator's requests per second
      --state-file <path>    write the URLs of the running mesh to this JSON file once it is ready
      --identity-dir <dir>   trust anchor and issuer of the mesh's mTLS (default ~/.meshviz/identity, or
                             $MESHVIZ_HOME/identity; made on the first run, see meshviz identity init)
      --pods <on|off|auto>   run each replica in its own network namespace with its own address, its proxy
                             beside it and services named in every pod (needs root or CAP_NET_ADMIN, ip,
                             iptables); auto: where the machine allows it, else one line says why and the
                             proxies are addressed explicitly (default ${DEFAULT_PODS})
  -h, --help                 show this help`;

export async function runUp(argv: string[], env: CliEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      demo: { type: 'boolean' },
      file: { type: 'string', short: 'f' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'scrape-interval': { type: 'string' },
      rate: { type: 'string' },
      'state-file': { type: 'string' },
      'identity-dir': { type: 'string' },
      pods: { type: 'string', default: DEFAULT_PODS },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${UP_USAGE}\n`);
    return 0;
  }
  if (!values.demo && !values.file) throw new UsageError('meshviz up needs --demo or --file <mesh.yaml>');
  const meshFile = values.file ? path.resolve(values.file) : path.join(packageDir('@meshviz/demo'), 'mesh.yaml');

  const port = values.port === undefined ? env.MESHVIZ_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got ${values.port}`);
  const scrape = parseDurationSeconds(values['scrape-interval'] ?? '5s');
  if (scrape === null || scrape < 1 || scrape > 10) {
    throw new UsageError(`--scrape-interval must be a duration from 1s to 10s, got ${values['scrape-interval']}`);
  }
  const prometheusBin = findPrometheus(env.PROMETHEUS_BIN);
  if (!prometheusBin) {
    throw new UsageError('Prometheus was not found: install it (apt-get install prometheus) or set PROMETHEUS_BIN');
  }

  const pods = values.pods;
  if (pods !== 'on' && pods !== 'off' && pods !== 'auto') throw new UsageError(`--pods must be on, off or auto, got ${pods}`);
  const progress = consoleProgress();
  const mesh = await loadMeshFile(meshFile);
  if (values.rate !== undefined && mesh.load) {
    const rate = Number(values.rate);
    if (!(rate > 0 && rate <= 5000)) throw new UsageError(`--rate must be a number in (0, 5000], got ${values.rate}`);
    mesh.load.rate = rate;
  }
  process.stdout.write('meshviz up: starting a local mesh\n');
  let running: Awaited<ReturnType<typeof up>>;
  // Ctrl-C reaches every process of the terminal's group, and `npm run demo` forwards it too: a second signal
  // must not kill us half-way through stopping the children. The handlers stay until we exit.
  let interrupted = false;
  let onStopSignal: () => void = () => {};
  const starting = new AbortController();
  const onSignal = () => {
    interrupted = true;
    starting.abort();
    onStopSignal();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    running = await up({
      mesh,
      meshFileName: path.relative(process.cwd(), meshFile) || meshFile,
      baseDir: path.dirname(meshFile),
      pods,
      podsStateDir: path.join(meshvizHome(env), 'pods'),
      policyDir: policyDirOf(meshFile, mesh),
      host: values.host ?? env.MESHVIZ_HOST,
      port,
      prometheusBin,
      scrapeIntervalSeconds: scrape,
      stateFile: values['state-file'],
      identityDir: path.resolve(values['identity-dir'] ?? defaultIdentityDir(env)),
      progress,
      signal: starting.signal,
    });
  } catch (err) {
    if (err instanceof PortInUseError || err instanceof PolicyFilesError) throw new UsageError(err.message);
    if (err instanceof InterruptedError) {
      process.stdout.write('meshviz up: interrupted; everything it started is stopped\n');
      return 130;
    }
    throw err;
  }
  await recordCurrent(running.dashboardUrl, running.tapToken, running.runDir);
  process.stdout.write(`\nmeshviz is ready: ${running.dashboardUrl}\n`);
  process.stdout.write(`  to tap from the browser, open ${running.dashboardUrl}/tap#tap-token=${running.tapToken}\n`);
  process.stdout.write(`  prometheus ${running.prometheusUrl} · api ${running.apiUrl} · logs ${running.runDir}/logs\n`);
  process.stdout.write('  press Ctrl-C to stop\n');

  const reason = await new Promise<string | null>((resolve) => {
    if (interrupted) resolve(null);
    onStopSignal = () => resolve(null);
    void running.failed.then(resolve);
  });
  if (reason) progress.fail(reason);
  process.stdout.write('meshviz up: stopping…\n');
  await running.stop();
  await forgetCurrent();
  process.stdout.write('meshviz up: stopped\n');
  return reason ? 1 : 0;
}


/** Lets `meshviz stat` and friends find this mesh's API without flags. */
async function recordCurrent(dashboardUrl: string, tapToken: string, runDir: string): Promise<void> {
  await mkdir(path.dirname(CURRENT_FILE), { recursive: true, mode: 0o700 }).catch(() => {});
  // Readable by this user only: it holds the tap token.
  await writeFile(CURRENT_FILE, JSON.stringify({ dashboardUrl, pid: process.pid, tapToken, runDir }), { mode: 0o600 }).catch(() => {});
}

async function forgetCurrent(): Promise<void> {
  const text = await readFile(CURRENT_FILE, 'utf8').catch(() => '');
  // Another `meshviz up` may have started since: only remove our own record.
  if (text.includes(`"pid":${process.pid}`)) await rm(CURRENT_FILE, { force: true });
}
