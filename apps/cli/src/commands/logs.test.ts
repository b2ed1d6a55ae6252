import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../config.js';
import { captureStdout } from '../testing/api-stand-in.js';
import { runLogs, workloadLogs } from './logs.js';

describe('meshviz logs', () => {
  let runDir: string;
  beforeAll(async () => {
    runDir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-logs-'));
    const logs = path.join(runDir, 'logs');
    await mkdir(logs);
    await writeFile(path.join(logs, 'shop_api-0_app.log'), 'zero one\nzero two\n');
    await writeFile(path.join(logs, 'shop_api-1_app.log'), 'one one\n');
    await writeFile(path.join(logs, 'shop_api-0_proxy.log'), 'proxy line\n');
    await writeFile(path.join(logs, 'shop_api-gateway-0_app.log'), 'not api\n');
    await writeFile(path.join(logs, 'other_db-0_app.log'), 'db\n');
    await writeFile(path.join(logs, 'more_db-0_app.log'), 'db too\n');
  });
  afterAll(async () => {
    await rm(runDir, { recursive: true, force: true });
  });
  const env = parseEnv({});

  it("finds a workload's replicas by name, not a workload whose name starts the same", () => {
    const logs = path.join(runDir, 'logs');
    expect(workloadLogs(logs, 'api', 'app').map((f) => f.pod)).toEqual(['api-0', 'api-1']);
    expect(workloadLogs(logs, 'api', 'app', 'shop', 1).map((f) => f.pod)).toEqual(['api-1']);
    expect(workloadLogs(logs, 'api', 'proxy').map((f) => f.pod)).toEqual(['api-0']);
  });

  it('prints every replica prefixed with its pod, or one replica as it is', async () => {
    const all = await captureStdout(() => runLogs(['api', '--run-dir', runDir], env));
    expect(all.out).toBe('[api-0] zero one\n[api-0] zero two\n[api-1] one one\n');
    const one = await captureStdout(() => runLogs(['api', '-n', 'shop', '--replica', '0', '--run-dir', runDir], env));
    expect(one.out).toBe('zero one\nzero two\n');
  });

  it('names what is wrong: no such workload, two namespaces, a bad replica or container', async () => {
    await expect(runLogs(['web', '--run-dir', runDir], env)).rejects.toThrow(/no workload "web"/);
    await expect(runLogs(['db', '--run-dir', runDir], env)).rejects.toThrow(/workload of namespaces more, other: choose one with -n/);
    await expect(runLogs(['api', '--replica', 'x', '--run-dir', runDir], env)).rejects.toThrow(/--replica must be/);
    await expect(runLogs(['api', '-c', 'sidecar', '--run-dir', runDir], env)).rejects.toThrow(/--container must be app or proxy/);
  });
});
