import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type RolloutStatus, RolloutsResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';

const config = { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 2000, logLevel: 'silent' };

/** A rollout of reviews' canary as `meshviz rollout start` records it, after `events`. */
function record(route: string, over: Partial<RolloutStatus>): RolloutStatus {
  return {
    version: 1,
    route: { namespace: 'bookshop', name: route, file: `/home/op/mesh/policy/${route}.yaml` },
    service: 'reviews',
    stable: 'reviews',
    canary: 'reviews-v2',
    plan: {
      steps: [25, 50, 100],
      intervalMs: 30_000,
      minSuccessRate: 0.99,
      maxP99Ms: 500,
      window: '1m',
      measure: { kind: 'deployment', namespace: 'bookshop', name: 'reviews-v2' },
    },
    phase: 'running',
    startedAt: '2026-12-05T01:00:00.000Z',
    updatedAt: '2026-12-05T01:00:30.000Z',
    weights: { stable: 75, canary: 25 },
    events: [
      { time: '2026-12-05T01:00:00.000Z', verdict: 'start', step: null, weights: { stable: 90, canary: 10 }, written: false, measured: null, reason: 'found 10% on reviews-v2' },
      {
        time: '2026-12-05T01:00:30.000Z',
        verdict: 'advance',
        step: 1,
        weights: { stable: 75, canary: 25 },
        written: true,
        measured: { rps: 2, successRate: 1, p99Ms: 12 },
        reason: 'within bounds',
      },
    ],
    ...over,
  };
}

describe('GET /api/v1/rollouts', () => {
  let dir: string;
  let exited: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-rollouts-'));
    // A process that has exited: its pid stands for a rollout killed while running.
    exited = spawnSync(process.execPath, ['-e', '']).pid ?? 0;
    await writeFile(path.join(dir, '.rollout-live.json'), JSON.stringify(record('live', { pid: process.pid, host: os.hostname() })));
    await writeFile(
      path.join(dir, '.rollout-killed.json'),
      JSON.stringify(record('killed', { pid: exited, host: os.hostname(), updatedAt: '2026-12-05T01:02:00.000Z' })),
    );
    await writeFile(
      path.join(dir, '.rollout-done.json'),
      JSON.stringify(record('done', { phase: 'promoted', weights: { stable: 0, canary: 100 }, updatedAt: '2026-12-05T00:59:00.000Z' })),
    );
    await writeFile(path.join(dir, '.rollout-torn.json'), '{"version": 1, "route":');
    await writeFile(path.join(dir, '.rollout-other.json'), JSON.stringify({ version: 1, phase: 'running' }));
    await writeFile(path.join(dir, 'reviews.yaml'), 'kind: HTTPRoute\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("serves every record of the config directory, the most recently updated first, without the route file's path", async () => {
    const res = await buildApp({ config: { ...config, rolloutsDir: dir } }).inject({ url: '/api/v1/rollouts' });
    expect(res.statusCode).toBe(200);
    const body = RolloutsResponse.parse(res.json());
    expect(body.source).toBe(dir);
    expect(body.rollouts.map((r) => [r.route.name, r.phase, r.runnerGone])).toEqual([
      ['killed', 'running', true],
      ['live', 'running', false],
      ['done', 'promoted', false],
    ]);
    expect(body.rollouts[1]?.route.file).toBe('live.yaml');
    expect(body.rollouts[1]?.events.map((e) => e.verdict)).toEqual(['start', 'advance']);
  });

  it('names each record it cannot read, and still serves the others', async () => {
    const body = RolloutsResponse.parse((await buildApp({ config: { ...config, rolloutsDir: dir } }).inject({ url: '/api/v1/rollouts' })).json());
    expect(body.errors).toEqual([
      { file: '.rollout-other.json', message: expect.stringMatching(/^is not a meshviz rollout record: route: /) },
      { file: '.rollout-torn.json', message: expect.stringMatching(/^is not JSON: /) },
    ]);
  });

  it('says it was given no directory, and that a missing one is missing', async () => {
    const none = RolloutsResponse.parse((await buildApp({ config }).inject({ url: '/api/v1/rollouts' })).json());
    expect(none).toEqual({ source: null, rollouts: [], errors: [] });
    const gone = path.join(dir, 'nowhere');
    const missing = RolloutsResponse.parse((await buildApp({ config: { ...config, rolloutsDir: gone } }).inject({ url: '/api/v1/rollouts' })).json());
    expect(missing.errors).toEqual([{ file: gone, message: 'the config directory does not exist' }]);
  });
});
