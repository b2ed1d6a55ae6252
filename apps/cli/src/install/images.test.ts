import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROXY_UID } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { dockerfileProblems, parseDockerfile } from './validation/dockerfile.js';
import { REPO_ROOT } from './validation/render-checks.js';

// No container engine runs here, so the Dockerfiles are checked as text: what an image must be is in dockerfileProblems.
const IMAGES = { proxy: PROXY_UID, control: 2103, api: 2103, web: 2103 } as const;
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('the Dockerfiles', () => {
  for (const [app, uid] of Object.entries(IMAGES)) {
    it(`apps/${app}/Dockerfile: multi-stage, pinned slim Node 20, production dependencies, UID ${uid}, exec-form entry`, () => {
      expect(dockerfileProblems(read(`apps/${app}/Dockerfile`), uid)).toEqual([]);
    });
  }

  it('the proxy image carries meshviz-proxy-init and iptables for the init step', () => {
    const text = read('apps/proxy/Dockerfile');
    expect(text).toMatch(/ln -s \S+\/proxy-init\/dist\/main\.js \/usr\/local\/bin\/meshviz-proxy-init/);
    expect(text).toMatch(/apt-get install -y --no-install-recommends iptables/);
  });

  it('the images the manifests name are the ones the build script tags', () => {
    const script = read('scripts/build-images.sh');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, as the script spells it
    expect(script).toContain('image="$registry/$app:${TAG:-$version}"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, as the script spells it
    expect(script).toContain('registry="${REGISTRY:-meshviz}"');
    const version = JSON.parse(read('apps/control/package.json')).version;
    for (const file of ['deploy/base/control/identity.yaml', 'deploy/base/viz/api.yaml', 'deploy/base/viz/web.yaml']) {
      expect(read(file)).toMatch(new RegExp(`image: meshviz/(control|api|web):${version.replaceAll('.', '\\.')}\\n`));
    }
    expect(read('deploy/base/control/proxy-injector.yaml')).toContain(`value: meshviz/proxy:${version}`);
  });

  it('the build script is executable bash that refuses an unknown image and a missing engine', () => {
    const script = path.join(REPO_ROOT, 'scripts/build-images.sh');
    expect(statSync(script).mode & 0o111).not.toBe(0);
    execFileSync('bash', ['-n', script]);
    const bash = execFileSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
    const run = (env: Record<string, string>, args: string[]) => {
      try {
        execFileSync(bash, [script, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
        return 'exit 0';
      } catch (error) {
        return String((error as { stderr: Buffer }).stderr);
      }
    };
    expect(run({ CONTAINER_ENGINE: 'x' }, ['gateway'])).toBe('build-images: unknown image "gateway" (proxy, control, api or web)\n');
    // An empty PATH: neither docker nor podman is found.
    const empty = mkdtempSync(path.join(os.tmpdir(), 'meshviz-no-engine-'));
    try {
      expect(run({ CONTAINER_ENGINE: '', PATH: empty }, [])).toBe('build-images: no container engine: install docker or podman, or set CONTAINER_ENGINE\n');
    } finally {
      rmdirSync(empty);
    }
  });

  it('.dockerignore keeps installed and built files out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.git', '**/node_modules', '**/dist', '**/.next']) expect(ignored).toContain(entry);
  });
});

describe('the Dockerfile check', () => {
  it('joins continuation lines and skips comments', () => {
    expect(parseDockerfile('# c\nFROM a AS b\nRUN one \\\n  # inside\n  two\n').map((i) => [i.keyword, i.args, i.line])).toEqual([
      ['FROM', 'a AS b', 2],
      ['RUN', 'one two', 3],
    ]);
  });

  it('names each way an image goes wrong', () => {
    const bad = [
      'FROM node:20-slim',
      'ADD https://example.com/x.tgz /x.tgz',
      'RUN npm install',
      'ENTRYPOINT node main.js',
      'USER node',
    ].join('\n');
    expect(dockerfileProblems(bad, 2103)).toEqual([
      'line 1: base image node:20-slim is not pinned to an exact node:20.x.y-…-slim',
      'line 2: ADD of a URL',
      'not multi-stage: build in one stage, copy what runs into another',
      'the final stage copies nothing from the build stage',
      'no `npm ci --omit=dev` (or npm install --omit=dev): dev dependencies would ship',
      'line 5: USER node is not a numeric UID (runAsNonRoot needs one)',
      'line 4: ENTRYPOINT comes before USER',
      'line 4: ENTRYPOINT is not in exec form (["node", …])',
    ]);
    const root = read('apps/api/Dockerfile').replace('USER 2103:2103', 'USER 0');
    expect(dockerfileProblems(root, 2103)).toEqual([expect.stringMatching(/^line \d+: USER 0 is root$/)]);
    const late = read('apps/api/Dockerfile').replace(/USER 2103:2103\n(.*)$/s, '$1USER 2103:2103\n');
    expect(dockerfileProblems(late, 2103)).toEqual([expect.stringMatching(/^line \d+: ENTRYPOINT comes before USER$/)]);
  });
});
