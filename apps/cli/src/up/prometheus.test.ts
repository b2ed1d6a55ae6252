import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPrometheus, writePrometheusFiles } from './prometheus.js';

describe('generated Prometheus config', () => {
  it('passes promtool check config and labels targets like pods', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-prom-'));
    const file = await writePrometheusFiles(
      dir,
      [{ addr: '127.0.0.1:4191', labels: { namespace: 'shop', deployment: 'web', pod: 'web-0' } }],
      5,
    );
    const promtool = process.env.PROMTOOL_BIN ?? path.join(path.dirname(findPrometheus(process.env.PROMETHEUS_BIN) ?? '/usr/bin/prometheus'), 'promtool');
    const out = execFileSync(promtool, ['check', 'config', file], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
    const sd = JSON.parse(readFileSync(path.join(dir, 'targets.json'), 'utf8'));
    expect(sd).toEqual([{ targets: ['127.0.0.1:4191'], labels: { namespace: 'shop', deployment: 'web', pod: 'web-0' } }]);
    await rm(dir, { recursive: true, force: true });
  });
});
