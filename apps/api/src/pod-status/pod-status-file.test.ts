import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PodStatusFile, StatsRow } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { podStatusSource, withRestarts } from './pod-status-file.js';

const row = (kind: StatsRow['kind'], namespace: string, name: string): StatsRow => ({
  kind,
  namespace,
  name,
  meshedPods: 1,
  rps: 1,
  successRate: 1,
  latencyMs: { p50: 1, p95: 1, p99: 1 },
});
const pod = (namespace: string, deployment: string, name: string, restarts: number) => ({
  namespace,
  deployment,
  pod: name,
  restarts,
  containers: { app: { restarts, lastExit: restarts > 0 ? 'SIGKILL' : null } },
  crashLoop: false,
});
const status: PodStatusFile = {
  pods: [pod('shop', 'api', 'api-0', 2), pod('shop', 'api', 'api-1', 1), pod('shop', 'db', 'db-0', 0), pod('other', 'api', 'api-0', 5)],
};

describe('pod restarts on stats rows', () => {
  it('puts each pod its own count, a workload and a namespace the sum over their pods', () => {
    const rows = withRestarts(
      [row('pod', 'shop', 'api-0'), row('deployment', 'shop', 'api'), row('deployment', 'shop', 'db'), row('namespace', 'shop', 'shop')],
      status,
    );
    expect(rows.map((r) => r.restarts)).toEqual([2, 3, 0, 3]);
  });

  it('leaves rows the runtime does not count, and every row without a file, without restarts', () => {
    expect(withRestarts([row('deployment', 'shop', 'web'), row('service', 'shop', 'api')], status).map((r) => r.restarts)).toEqual([
      undefined,
      undefined,
    ]);
    expect(withRestarts([row('pod', 'shop', 'api-0')], null)[0]!.restarts).toBeUndefined();
  });

  it('reads the file at each call; a missing or broken file reads as none', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-pod-status-'));
    const file = path.join(dir, 'pod-status.json');
    const source = podStatusSource(file);
    expect(await source()).toBeNull();
    await writeFile(file, JSON.stringify(status));
    expect((await source())?.pods.length).toBe(4);
    await writeFile(file, '{"pods": [{"pod": 1}]}');
    expect(await source()).toBeNull();
    await rm(dir, { recursive: true, force: true });
  });
});
