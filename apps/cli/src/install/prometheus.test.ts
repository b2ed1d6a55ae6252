import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortAllocator } from '../up/ports.js';
import { findPrometheus, waitFor } from '../up/prometheus.js';
import { kustomizeBuild } from './kustomize.js';
import { deployDir } from './paths.js';
import { OVERLAYS } from './render.js';
import { kubernetesSdProblems, prometheusConfigOf, promtoolCheck, withFileSd } from './validation/prometheus.js';

const prometheusBin = findPrometheus(process.env.PROMETHEUS_BIN) ?? 'prometheus';
const promtool = process.env.PROMTOOL_BIN ?? path.join(path.dirname(prometheusBin), 'promtool');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-deploy-prom-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the in-cluster Prometheus configuration', () => {
  for (const overlay of OVERLAYS) {
    it(`${overlay}: discovers pods only, and passes promtool check config`, async () => {
      const config = prometheusConfigOf(await kustomizeBuild(path.join(deployDir(), 'overlays', overlay, 'viz')));
      expect(kubernetesSdProblems(config)).toEqual([]);
      const checkDir = await mkdtemp(path.join(dir, `${overlay}-`));
      const { text, sdFiles } = withFileSd(config, checkDir);
      for (const file of Object.values(sdFiles)) await writeFile(file, '[]');
      expect(await promtoolCheck(text, checkDir, promtool)).toMatch(/SUCCESS/);
    });
  }

  it('promtool refuses a broken relabelling (so the check above can fail)', async () => {
    const config = prometheusConfigOf(await kustomizeBuild(path.join(deployDir(), 'base', 'viz')));
    const checkDir = await mkdtemp(path.join(dir, 'broken-'));
    const { text, sdFiles } = withFileSd(config.replace('regex: admin-http', 'regex: admin-http(('), checkDir);
    for (const file of Object.values(sdFiles)) await writeFile(file, '[]');
    await expect(promtoolCheck(text, checkDir, promtool)).rejects.toThrow(/promtool check config failed/);
  });
});

/** A discovered pod target as kubernetes_sd's pod role labels it (only the labels the rules read). */
function podTarget(labels: Record<string, string>) {
  return { targets: ['127.0.0.1:9'], labels: { __meta_kubernetes_pod_phase: 'Running', ...labels } };
}

describe('the relabelling, run by a real Prometheus', () => {
  let prometheus: ChildProcess | undefined;
  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      prometheus.kill('SIGTERM');
      await once(prometheus, 'exit');
    }
  });

  it('labels each proxy with namespace, pod and its workload, drops other ports and finished pods, and names control plane components', async () => {
    const config = prometheusConfigOf(await kustomizeBuild(path.join(deployDir(), 'base', 'viz')));
    const runDir = await mkdtemp(path.join(dir, 'run-'));
    const { text, sdFiles } = withFileSd(config, runDir);
    const proxy = { __meta_kubernetes_namespace: 'shop', __meta_kubernetes_pod_container_port_name: 'admin-http' };
    await writeFile(
      sdFiles['meshviz-proxies']!,
      JSON.stringify([
        podTarget({
          ...proxy,
          __meta_kubernetes_pod_name: 'web-5d9c7f8b9-x2x7q',
          __meta_kubernetes_pod_controller_kind: 'ReplicaSet',
          __meta_kubernetes_pod_controller_name: 'web-5d9c7f8b9',
          __meta_kubernetes_pod_label_pod_template_hash: '5d9c7f8b9',
        }),
        podTarget({
          ...proxy,
          __meta_kubernetes_pod_name: 'catalog-v2-6f7d8c9b5-abcde',
          __meta_kubernetes_pod_controller_kind: 'ReplicaSet',
          __meta_kubernetes_pod_controller_name: 'catalog-v2-6f7d8c9b5',
          __meta_kubernetes_pod_label_pod_template_hash: '6f7d8c9b5',
          __meta_kubernetes_pod_label_meshviz_io_proxy_deployment: 'catalog-v2',
        }),
        podTarget({
          ...proxy,
          __meta_kubernetes_pod_name: 'ledger-0',
          __meta_kubernetes_pod_controller_kind: 'StatefulSet',
          __meta_kubernetes_pod_controller_name: 'ledger',
        }),
        podTarget({ ...proxy, __meta_kubernetes_pod_name: 'web-app-port', __meta_kubernetes_pod_container_port_name: 'http' }),
        podTarget({ ...proxy, __meta_kubernetes_pod_name: 'job-done', __meta_kubernetes_pod_phase: 'Succeeded' }),
      ]),
    );
    await writeFile(
      sdFiles['meshviz-control']!,
      JSON.stringify([
        podTarget({
          __meta_kubernetes_namespace: 'meshviz-system',
          __meta_kubernetes_pod_name: 'meshviz-identity-7c9f-abcde',
          __meta_kubernetes_pod_container_port_name: 'admin',
          __meta_kubernetes_pod_label_app_kubernetes_io_part_of: 'meshviz',
          __meta_kubernetes_pod_label_app_kubernetes_io_component: 'identity',
        }),
        podTarget({ __meta_kubernetes_namespace: 'meshviz-system', __meta_kubernetes_pod_name: 'other', __meta_kubernetes_pod_container_port_name: 'admin' }),
      ]),
    );
    const configFile = path.join(runDir, 'prometheus.yml');
    await writeFile(configFile, text);
    const port = await new PortAllocator().next();
    prometheus = spawn(
      prometheusBin,
      [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(runDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: 'ignore' },
    );
    interface Targets {
      data: { activeTargets: { labels: Record<string, string> }[]; droppedTargets: unknown[] };
    }
    const targets = await waitFor('Prometheus to discover the targets', 20_000, async () => {
      const body = (await (await fetch(`http://127.0.0.1:${port}/api/v1/targets`)).json()) as Targets;
      return body.data.activeTargets.length === 4 ? body.data : null;
    });
    const labels = targets.activeTargets.map((t) => t.labels).sort((a, b) => (a.pod ?? '').localeCompare(b.pod ?? ''));
    expect(labels).toEqual([
      { job: 'meshviz-proxies', instance: '127.0.0.1:9', namespace: 'shop', pod: 'catalog-v2-6f7d8c9b5-abcde', deployment: 'catalog-v2', workload_kind: 'deployment' },
      { job: 'meshviz-proxies', instance: '127.0.0.1:9', namespace: 'shop', pod: 'ledger-0', statefulset: 'ledger', workload_kind: 'statefulset' },
      { job: 'meshviz-control', instance: '127.0.0.1:9', namespace: 'meshviz-system', pod: 'meshviz-identity-7c9f-abcde', component: 'identity' },
      { job: 'meshviz-proxies', instance: '127.0.0.1:9', namespace: 'shop', pod: 'web-5d9c7f8b9-x2x7q', deployment: 'web', workload_kind: 'deployment' },
    ]);
    expect(targets.droppedTargets).toHaveLength(3);
  }, 30_000);
});
