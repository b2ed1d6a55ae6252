import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RolloutsResponse, StatsResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { childEnv } from '../config.js';
import { RolloutEvent, RolloutStatus } from '../rollout/status.js';
import { type SpawnedMesh, spawnUp } from '../testing/spawn-up.js';

/**
 * Progressive delivery end to end: `meshviz up` runs Service reviews with two workloads behind it, reviews (stable)
 * and reviews-v2 (canary, its own workload and Service), and an HTTPRoute attached to Service reviews sends 90 % of
 * its requests to reviews and 10 % to reviews-v2. The control plane compiles the route for the callers' outbound
 * proxies, which split the load generator's requests by its weights. The built `meshviz rollout start` then moves
 * the weights, judging v2 by what the API measures: in namespace `healthy` v2 answers like v1 and is promoted to
 * 100 %; in namespace `failing` v2 fails half its requests and is rolled back to 0 % at its first judgement.
 */

const workloads = (v2FailShare: number) => `
      - name: reviews
        routes:
          - { method: GET, path: /reviews, latencyMs: 1 }
      - name: reviews-v2
        routes:
          - { method: GET, path: /reviews, latencyMs: 1, failShare: ${v2FailShare} }`;

const MESH = `
namespaces:
  - name: healthy
    workloads:${workloads(0)}
  - name: failing
    workloads:${workloads(0.5)}
load:
  rate: 40
  targets:
    - { service: reviews.healthy, method: GET, path: /reviews }
    - { service: reviews.failing, method: GET, path: /reviews }
`;

/** The split of Service reviews in `namespace`, named after the namespace: a rollout's status file is named by route. */
const split = (namespace: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews-${namespace}, namespace: ${namespace} }
spec:
  parentRefs:
    - { group: "", kind: Service, name: reviews }
  rules:
    - backendRefs:
        - { name: reviews, port: 8080, weight: 90 }
        - { name: reviews-v2, port: 8080, weight: 10 }
`;

// Two levels below the package root, as in testing/spawn-up.ts: the built CLI is what a user runs.
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');

interface Run {
  code: number | null;
  events: RolloutEvent[];
  stderr: string;
}

function rollout(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'rollout', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      resolve({ code, events: lines.map((l) => RolloutEvent.parse(JSON.parse(l))), stderr });
    });
  });
}

describe('meshviz rollout through meshviz up (integration)', () => {
  let mesh: SpawnedMesh;
  let dir: string;
  let meshFile: string;
  let routeFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-rollout-it-'));
    await mkdir(path.join(dir, 'policy'));
    meshFile = path.join(dir, 'mesh.yaml');
    routeFile = path.join(dir, 'policy', 'reviews.yaml');
    await writeFile(meshFile, MESH);
    await writeFile(routeFile, `${split('healthy')}---\n${split('failing')}`);
    mesh = await spawnUp(['-f', meshFile, '--identity-dir', path.join(dir, 'identity'), '--scrape-interval', '1s']);
  }, 150_000);

  afterAll(async () => {
    await mesh?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** reviews-v2's figures in `namespace` over the last 30 s, as its own proxies answered (what the rollout reads). */
  async function v2Rps(namespace: string): Promise<number | null> {
    const res = await fetch(`${mesh.apiUrl}/api/v1/stats?kind=deployment&namespace=${namespace}&window=30s`);
    const stats = StatsResponse.parse(await res.json());
    return stats.rows.find((r) => r.name === 'reviews-v2')?.rps ?? null;
  }

  async function weights(namespace: string): Promise<{ stable: unknown; canary: unknown }> {
    const docs = parseAllDocuments(await readFile(routeFile, 'utf8')).map((d) => d.toJS());
    const route = docs.find((d) => d.metadata.namespace === namespace);
    const [stable, canary] = route.spec.rules[0].backendRefs;
    return { stable: stable.weight, canary: canary.weight };
  }

  it('promotes a healthy v2 to 100 % and rolls a failing v2 back to 0 %', async () => {
    // The 90/10 split reaches v2 in both namespaces before anything is judged: v2 has traffic of its own.
    await until(async () => ((await v2Rps('healthy')) ?? 0) > 0 && ((await v2Rps('failing')) ?? 0) > 0, "reviews-v2's share of the traffic", 60_000);

    const start = (namespace: string) => [
      'start',
      'svc/reviews',
      '-n',
      namespace,
      '--route',
      `reviews-${namespace}`,
      '--stable',
      'reviews',
      '--canary',
      'reviews-v2',
      '-f',
      meshFile,
      '--api',
      mesh.apiUrl,
      '--steps',
      '25,50,100',
      '--interval',
      '3s',
      '--window',
      '30s',
      '--min-success',
      '0.95',
      '--max-p99',
      '500ms',
      '-o',
      'json',
    ];
    // While they run, the API serves their records as they are written: the dashboard's rollouts page reads this.
    const seenRunning = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const res = await fetch(`${mesh.apiUrl}/api/v1/rollouts`).catch(() => null);
        if (res?.ok) {
          for (const r of RolloutsResponse.parse(await res.json()).rollouts) {
            if (r.phase === 'running' && !r.runnerGone) seenRunning.add(`${r.route.name}@${r.weights.canary}`);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    const [healthy, failing] = await Promise.all([rollout(start('healthy')), rollout(start('failing'))]);
    watching = false;
    await watch;

    expect(healthy.stderr).toBe('');
    expect(healthy.code).toBe(0);
    expect(healthy.events.map((e) => [e.verdict, e.weights.canary])).toEqual([
      ['start', 10],
      ['advance', 25],
      ['advance', 50],
      ['promoted', 100],
    ]);
    expect(healthy.events.slice(1).every((e) => (e.measured?.successRate ?? 0) >= 0.95)).toBe(true);
    expect(await weights('healthy')).toEqual({ stable: 0, canary: 100 });

    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/rolled back HTTPRoute failing\/reviews-failing to 0% reviews-v2: success rate \d+\.\d+% is below the minimum 95\.00%/);
    const last = failing.events.at(-1);
    expect(last?.verdict).toBe('rolled-back');
    expect(last?.failures?.[0]?.metric).toBe('success-rate');
    expect(last?.failures?.[0]?.value).toBeGreaterThan(0.3);
    expect(last?.failures?.[0]?.value).toBeLessThan(0.7);
    expect(await weights('failing')).toEqual({ stable: 100, canary: 0 });

    const status = async (route: string) => RolloutStatus.parse(JSON.parse(await readFile(path.join(dir, 'policy', `.rollout-${route}.json`), 'utf8')));
    expect((await status('reviews-healthy')).phase).toBe('promoted');
    expect((await status('reviews-failing')).phase).toBe('rolled-back');

    // The API saw the healthy rollout at its intermediate steps, and serves both records as the files hold them.
    expect(seenRunning.has('reviews-healthy@25') || seenRunning.has('reviews-healthy@50')).toBe(true);
    const served = RolloutsResponse.parse(await (await fetch(`${mesh.apiUrl}/api/v1/rollouts`)).json());
    expect(served.errors).toEqual([]);
    expect(Object.fromEntries(served.rollouts.map((r) => [r.route.name, [r.phase, r.weights.canary, r.events.length, r.route.file]]))).toEqual({
      'reviews-healthy': ['promoted', 100, 4, 'reviews.yaml'],
      'reviews-failing': ['rolled-back', 0, (await status('reviews-failing')).events.length, 'reviews.yaml'],
    });

    // The proxies follow the new weights: with all of healthy's reviews traffic (20 rps), v2 soon carries far more
    // than its 10 % share (2 rps) did.
    await until(async () => ((await v2Rps('healthy')) ?? 0) > 8, "reviews-v2 to carry the promoted route's traffic", 40_000);
  }, 150_000);
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
