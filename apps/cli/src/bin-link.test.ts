import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(CLI_DIR, '..', '..');

/**
 * `npx <args>` as the README writes it, but never asking the registry: a command that is not linked locally fails
 * instead of being looked up and downloaded.
 */
function npx(cwd: string, args: string[]) {
  return spawnSync('npx', args, {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, npm_config_yes: 'false', npm_config_offline: 'true' },
  });
}

/**
 * The README's terminal commands are `npx meshviz …` from the root of a fresh clone, after `npm run demo` or
 * `npm test` (install, then build). npm links a workspace's bin only if its file exists at install time, so the bin
 * must be a file the repository holds, not one the build writes.
 */
/** Every workspace of the repository, by its folder relative to the root. */
function workspaces(): string[] {
  const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return root.workspaces.flatMap((w) =>
    w.endsWith('/*') ? readdirSync(path.join(ROOT, w.slice(0, -2))).map((d) => `${w.slice(0, -2)}/${d}`) : [w],
  ).filter((w) => existsSync(path.join(ROOT, w, 'package.json')));
}

/** Copies the files git tracks in `folder` (a workspace) into the same folder of `clone`. */
function copyTracked(folder: string, clone: string): void {
  const dir = path.join(ROOT, folder);
  const tracked = execFileSync('git', ['ls-files', '-z', '--', '.'], { cwd: dir, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked) {
    mkdirSync(path.dirname(path.join(clone, folder, file)), { recursive: true });
    cpSync(path.join(dir, file), path.join(clone, folder, file));
  }
}

describe('the commands of a fresh clone', () => {
  it('are files the repository holds, for every bin of every workspace (npm links only those at install time)', () => {
    const bins = workspaces().flatMap((w) => {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, w, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
      return Object.entries(manifest.bin ?? {}).map(([name, file]) => ({ name, file: path.join(w, file) }));
    });
    expect(bins.map((b) => b.name)).toEqual(expect.arrayContaining(['meshviz', 'meshviz-proxy', 'meshviz-control', 'meshviz-api', 'meshviz-api-rules']));
    const tracked = new Set(execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0'));
    expect(bins.filter((b) => !tracked.has(b.file))).toEqual([]);
  });

  it('link meshviz by npm install before anything is built', () => {
    const manifest = JSON.parse(readFileSync(path.join(CLI_DIR, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      type: string;
      bin: Record<string, string>;
    };
    // A fresh clone holds what git tracks: no dist/, no node_modules/. The CLI and the runtime kit its bin loads.
    const clone = mkdtempSync(path.join(os.tmpdir(), 'meshviz-fresh-clone-'));
    try {
      writeFileSync(path.join(clone, 'package.json'), JSON.stringify({ name: 'fresh-clone', private: true, workspaces: ['apps/cli', 'packages/runtime'] }));
      copyTracked('apps/cli', clone);
      copyTracked('packages/runtime', clone);
      // Their own manifests, but without dependencies from the registry, so the install needs none: what is linked,
      // and whether it is, depends only on `bin`, `exports` and the files present.
      const { name, version, type, bin } = manifest;
      writeFileSync(path.join(clone, 'apps/cli/package.json'), JSON.stringify({ name, version, type, bin, dependencies: { '@meshviz/runtime': '*' } }));
      const runtime = JSON.parse(readFileSync(path.join(ROOT, 'packages/runtime/package.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(path.join(clone, 'packages/runtime/package.json'), JSON.stringify({ ...runtime, dependencies: {} }));
      const install = spawnSync('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: clone,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(install.status, install.stderr).toBe(0);

      expect(existsSync(path.join(clone, 'node_modules', '.bin', 'meshviz'))).toBe(true);
      // Linked and run, before any build: it says what is missing rather than "could not determine executable".
      const run = npx(clone, ['meshviz', '--help']);
      expect(run.stderr).toBe(`meshviz: not built (${realpathSync(clone)}/apps/cli/dist/main.js is missing); run npm run build\n`);
      expect(run.status).toBe(1);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  }, 90_000);

  it('run meshviz from the root of the repository after the build, as the README says', () => {
    const run = npx(ROOT, ['meshviz', '--help']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: meshviz <command> \[options\]\n/);
    expect(run.stdout).toContain('stat     golden metrics per workload');

    const stat = npx(ROOT, ['meshviz', 'stat', '--help']);
    expect(stat.status).toBe(0);
    expect(stat.stdout).toMatch(/meshviz stat \[kind\]/);
  }, 90_000);
});
