import { existsSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import type { CliEnv } from '../config.js';
import { readCurrent } from '../current-mesh.js';
import type { RunRequest } from '../up/live.js';
import { runtimeSocketOf } from '../up/runtime-socket.js';
import { readNew } from './file-tail.js';
import { UsageError } from './usage-error.js';

export const RUN_USAGE = `Usage: meshviz run -n <namespace> --name <workload> [options] -- <command> [args…]

Adds one workload to the mesh \`meshviz up\` is running, beside its own proxy (in a pod of its own when the mesh
runs pods), prints its output, and takes it out of the mesh again when this command ends (Ctrl-C).

Options:
  -n, --namespace <ns>        its namespace (required)
      --name <name>           its workload name (required)
  -p, --port <n>              the port it serves (its service's port); without, it is a client only
      --ready-path <path>     readiness: an HTTP GET of this path (default with a port: a TCP connection)
      --service-account <sa>  the service account naming its identity (default: its name)
  -e, --env <NAME=value>      an environment variable of the program (repeatable); PORT is always set
  -h, --help                  show this help`;

/** A `meshviz run` command line as the running mesh's request. */
export function parseRunArgs(argv: string[], cwd = process.cwd()): RunRequest {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      namespace: { type: 'string', short: 'n' },
      name: { type: 'string' },
      port: { type: 'string', short: 'p' },
      'ready-path': { type: 'string' },
      'service-account': { type: 'string' },
      env: { type: 'string', short: 'e', multiple: true },
    },
    strict: true,
  });
  if (!values.namespace) throw new UsageError('meshviz run needs -n <namespace>');
  if (!values.name) throw new UsageError('meshviz run needs --name <workload>');
  if (positionals.length === 0) throw new UsageError('meshviz run needs the program to run after --, e.g. -- node server.js');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new UsageError(`--port must be 1..65535, got ${values.port}`);
  const readyPath = values['ready-path'];
  if (readyPath !== undefined && (!readyPath.startsWith('/') || port === undefined)) {
    throw new UsageError('--ready-path must be a path starting with / and needs --port');
  }
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!m) throw new UsageError(`--env "${pair}" must be NAME=value`);
    env[m[1]!] = m[2]!;
  }
  return {
    namespace: values.namespace,
    name: values.name,
    command: positionals,
    env,
    cwd,
    ...(port === undefined ? {} : { port }),
    ...(readyPath ? { readiness: { httpGet: { path: readyPath } } } : {}),
    ...(values['service-account'] ? { serviceAccount: values['service-account'] } : {}),
  };
}

/** Copies what is appended to a file to stdout until `done()` (the program's log, as it runs). */
async function follow(file: string, from: number, done: () => boolean): Promise<void> {
  let offset = from;
  while (!done()) {
    const bytes = await readNew(file, offset);
    offset += bytes.length;
    if (bytes.length > 0) process.stdout.write(bytes);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function request(socketPath: string, method: string, urlPath: string, payload?: unknown): http.ClientRequest {
  const req = http.request({ socketPath, method, path: urlPath, headers: { 'content-type': 'application/json' } });
  req.end(payload === undefined ? undefined : JSON.stringify(payload));
  return req;
}

export async function runRun(argv: string[], _env: CliEnv): Promise<number> {
  // Help only among meshviz run's own options, not the program's (after --).
  const own = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (own.includes('-h') || own.includes('--help')) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  const run = parseRunArgs(argv);
  const runDir = readCurrent()?.runDir;
  const socket = runDir ? runtimeSocketOf(runDir) : null;
  if (!socket || !existsSync(socket)) throw new UsageError('no local mesh is running here: start one with meshviz up');
  const key = `${run.namespace}/${run.name}`;
  let ended = false;
  let ready = false;
  const result = await new Promise<number>((resolve, reject) => {
    const req = request(socket, 'POST', '/v1/run', run);
    const stop = () => {
      if (ended) return;
      ended = true;
      process.stdout.write(`meshviz run: taking ${key} out of the mesh…\n`);
      // Ask for the removal and wait for it; closing the stream would do it too, without telling us when.
      const del = request(socket, 'DELETE', `/v1/run/${run.namespace}/${run.name}`);
      del.once('response', (res) => {
        res.resume();
        res.once('end', () => {
          req.destroy();
          process.stdout.write(`meshviz run: ${key} is out of the mesh\n`);
          resolve(ready ? 0 : 130);
        });
      });
      del.once('error', (err) => {
        process.stderr.write(`meshviz run: could not ask the mesh to take ${key} out (${err.message}); it does so when this command ends\n`);
        resolve(1);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    req.once('error', (err) => (ended ? undefined : reject(err)));
    req.once('response', (res) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
          const event = JSON.parse(buffered.slice(0, i)) as {
            type: string;
            pod?: string;
            address?: string;
            logFile?: string;
            logOffset?: number;
            message?: string;
          };
          buffered = buffered.slice(i + 1);
          if (event.type === 'ready') {
            ready = true;
            process.stdout.write(`meshviz run: ${run.namespace}/${event.pod} is in the mesh at ${event.address}; Ctrl-C takes it out\n`);
            void follow(event.logFile!, event.logOffset ?? 0, () => ended);
          } else if (event.type === 'error') {
            ended = true;
            process.stderr.write(`meshviz run: ${event.message}\n`);
            resolve(1);
          }
        }
      });
      res.once('end', () => {
        if (!ended) {
          ended = true;
          process.stderr.write('meshviz run: the mesh stopped\n');
          resolve(1);
        }
      });
    });
  });
  return result;
}
