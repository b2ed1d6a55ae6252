#!/usr/bin/env node
// The two set-up commands of the README go through here: `npm run demo` and `npm test`.
// It uses only Node's standard library, because it runs before any dependency is installed. It installs the npm
// dependencies when they are missing or stale, builds, installs Prometheus (and Chromium for tests) with apt-get
// when they are missing and we are root, and otherwise stops with one line saying what to install or set.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...passThrough] = process.argv.slice(2);
const say = (text) => process.stdout.write(`meshviz ${mode}: ${text}\n`);
const fail = (text) => {
  process.stderr.write(`meshviz ${mode}: ${text}\n`);
  process.exit(1);
};

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js >= 20.19 is needed, this is ${process.versions.node}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) fail(`${cmd} failed to start: ${r.error.message}`);
  return r.status ?? 1;
}

/** Hash of everything that decides what `npm ci` installs. */
function depsHash() {
  const h = createHash('sha256');
  const lock = path.join(root, 'package-lock.json');
  h.update(existsSync(lock) ? readFileSync(lock) : 'no-lock');
  h.update(process.versions.node.split('.')[0]);
  return h.digest('hex');
}

function ensureNpmDeps() {
  const stamp = path.join(root, 'node_modules', '.meshviz-deps');
  const want = depsHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) {
    say('npm dependencies are up to date');
    return;
  }
  say('installing npm dependencies…');
  // `npm install --no-save` installs the locked versions and leaves the lockfile untouched. (`npm ci` refuses
  // lockfiles written by npm 11 on Linux, which leave out other platforms' optional binaries.)
  if (run('npm', ['install', '--no-save', '--no-audit', '--no-fund']) !== 0) fail('npm install failed; see above');
  writeFileSync(stamp, want);
}

function which(bin) {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let aptUpdated = false;

/** Installs a Debian package when we may (root with apt-get); returns whether apt-get succeeded. */
function aptInstall(pkg) {
  if (!isRoot || !which('apt-get')) return false;
  say(`installing ${pkg} with apt-get…`);
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq']);
    aptUpdated = true;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { env }) === 0;
}

/** Finds a program by its variable or on PATH, or installs the Debian package when we may; else one line and exit. */
function ensureProgram({ variable, bin, pkg }) {
  if (variable && process.env[variable]) {
    if (!existsSync(process.env[variable])) fail(`${variable}=${process.env[variable]} does not exist`);
    return process.env[variable];
  }
  const found = which(bin);
  if (found) return found;
  if (aptInstall(pkg) && which(bin)) return which(bin);
  const orVariable = variable ? ` or set ${variable} to its path` : '';
  fail(`${bin} is missing: install it (sudo apt-get install ${pkg})${orVariable}`);
}

/**
 * The proxy's tests talk to it with clients of other implementations: nghttp2's, curl's, OpenSSL's s_client and
 * Python's gRPC; the identity tests check certificates with `openssl verify`.
 */
function ensureTestClients() {
  ensureProgram({ bin: 'curl', pkg: 'curl' });
  ensureProgram({ bin: 'openssl', pkg: 'openssl' });
  ensureProgram({ bin: 'nghttp', pkg: 'nghttp2-client' });
  ensureProgram({ bin: 'h2load', pkg: 'nghttp2-client' });
  // Debian's python3-grpcio lands in /usr/bin/python3; a python3 earlier on PATH (pyenv, venv) may not see it.
  const hasGrpcio = () =>
    ['python3', '/usr/bin/python3'].some((bin) => spawnSync(bin, ['-c', 'import grpc'], { stdio: 'ignore' }).status === 0);
  if (!hasGrpcio() && !(aptInstall('python3-grpcio') && hasGrpcio())) {
    fail("python3's grpc module is missing: install it (sudo apt-get install python3-grpcio)");
  }
}

function build() {
  say('building (turbo run build)…');
  const status = run(path.join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only'], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
  if (status !== 0) fail('the build failed; see the output above');
}

/**
 * Runs vitest over every workspace, in one or more runs (`phases`: each a list of vitest arguments, e.g. which
 * projects), and ends with one plain summary line over all of them that any CI can read. Arguments given after
 * `--` make it one run of exactly what they ask.
 */
function runTests(env, configArgs = [], phases = [[]]) {
  const outDir = path.join(root, 'test-results');
  mkdirSync(outDir, { recursive: true });
  const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
  const totals = { passed: 0, failed: 0, skipped: 0 };
  let status = 0;
  const runs = passThrough.length > 0 ? [[]] : phases;
  for (const [i, phase] of runs.entries()) {
    const report = path.join(outDir, runs.length === 1 ? 'vitest.json' : `vitest-${i + 1}.json`);
    rmSync(report, { force: true });
    const args = ['run', ...configArgs, ...phase, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...passThrough];
    status = Math.max(status, run(vitest, args, { env: { ...process.env, ...env } }));
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests ?? 0;
    totals.failed += r.numFailedTests ?? 0;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  process.stdout.write(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  process.exit(status);
}

/**
 * `npm test` in two runs: every project but the browser specs, then the browser specs. Their global setup starts
 * the live demo stack (a third of a core with its load and 1 s scrapes); in one run it would start before the
 * first test and share the machine with every other project for the whole run.
 */
const TEST_PHASES = [['--project', '!@meshviz/playwright'], ['--project', '@meshviz/playwright']];

checkNode();
if (!['demo', 'test', 'test-long'].includes(mode)) fail('usage: node scripts/setup.mjs demo|test|test-long [args]');
ensureNpmDeps();
const prometheus = ensureProgram({ variable: 'PROMETHEUS_BIN', bin: 'prometheus', pkg: 'prometheus' });
if (mode === 'test') {
  const chromium = ensureProgram({ variable: 'CHROMIUM_BIN', bin: 'chromium', pkg: 'chromium' });
  ensureProgram({ variable: 'PROMTOOL_BIN', bin: 'promtool', pkg: 'prometheus' });
  // The deploy/ tests render the manifests as `meshviz install` does, with `kubectl kustomize`.
  if (!which('kubectl')) fail('kubectl is missing: install kubectl 1.27 or later (the deploy/ tests run kubectl kustomize)');
  ensureTestClients();
  build();
  runTests({ PROMETHEUS_BIN: prometheus, CHROMIUM_BIN: chromium }, [], TEST_PHASES);
} else if (mode === 'test-long') {
  // The long and fault sessions (vitest.long.config.ts): kept out of `npm test` so it stays short; CI runs both.
  const chromium = ensureProgram({ variable: 'CHROMIUM_BIN', bin: 'chromium', pkg: 'chromium' });
  build();
  runTests({ PROMETHEUS_BIN: prometheus, CHROMIUM_BIN: chromium }, ['--config', path.join(root, 'vitest.long.config.ts')]);
} else {
  build();
  // The demo runs in pods where the machine allows it (root or CAP_NET_ADMIN); `npm run demo -- --pods off` to not.
  say('starting: meshviz up --demo --pods auto');
  const child = spawn(process.execPath, [path.join(root, 'apps/cli/dist/main.js'), 'up', '--demo', '--pods', 'auto', ...passThrough], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PROMETHEUS_BIN: prometheus },
  });
  // Ctrl-C reaches the whole process group; the CLI stops its children and we exit with its code.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}
