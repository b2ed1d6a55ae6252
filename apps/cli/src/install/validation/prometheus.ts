import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../objects.js';

/** The Prometheus configuration the viz render carries (ConfigMap prometheus-config, key prometheus.yml). */
export function prometheusConfigOf(objects: readonly KubeObject[]): string {
  const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-config');
  const text = (map?.data as Record<string, string> | undefined)?.['prometheus.yml'];
  if (!text) throw new Error('the render has no ConfigMap prometheus-config with prometheus.yml');
  return text;
}

interface ScrapeConfig {
  job_name: string;
  kubernetes_sd_configs?: { role?: string; namespaces?: { names?: unknown }; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** Problems of the kubernetes_sd_configs blocks, which promtool cannot check here (see withFileSd). */
export function kubernetesSdProblems(config: string): string[] {
  const problems: string[] = [];
  for (const job of (parse(config).scrape_configs ?? []) as ScrapeConfig[]) {
    const sds = job.kubernetes_sd_configs;
    if (!sds || sds.length === 0) problems.push(`job ${job.job_name}: no kubernetes_sd_configs`);
    for (const sd of sds ?? []) {
      if (sd.role !== 'pod') problems.push(`job ${job.job_name}: role ${String(sd.role)} (meshviz discovers pods)`);
      for (const key of Object.keys(sd)) if (key !== 'role' && key !== 'namespaces') problems.push(`job ${job.job_name}: unexpected ${key}`);
      const names = sd.namespaces?.names;
      if (sd.namespaces && !(Array.isArray(names) && names.every((n) => typeof n === 'string'))) {
        problems.push(`job ${job.job_name}: namespaces.names must be a list of names`);
      }
    }
  }
  return problems;
}

/**
 * The same configuration with each job's kubernetes_sd_configs replaced by a file_sd_configs reading
 * `<dir>/<job>.json`. Debian's Prometheus and promtool are built without Kubernetes discovery, so this is how
 * they check (and, fed targets carrying the same __meta_kubernetes_* labels, run) everything else: globals,
 * scrape settings and every relabelling rule.
 */
export function withFileSd(config: string, dir: string): { text: string; sdFiles: Record<string, string> } {
  const parsed = parse(config) as { scrape_configs: ScrapeConfig[] };
  const sdFiles: Record<string, string> = {};
  for (const job of parsed.scrape_configs) {
    const file = path.join(dir, `${job.job_name}.json`);
    sdFiles[job.job_name] = file;
    delete job.kubernetes_sd_configs;
    job.file_sd_configs = [{ files: [file], refresh_interval: '1s' }];
  }
  return { text: stringify(parsed), sdFiles };
}

/** Runs `promtool check config`; resolves with its output, rejects with it when the check fails. */
export async function promtoolCheck(config: string, dir: string, promtool: string): Promise<string> {
  const file = path.join(dir, 'prometheus.yml');
  await writeFile(file, config);
  return new Promise((resolve, reject) => {
    execFile(promtool, ['check', 'config', file], (error, stdout, stderr) => {
      if (error) reject(new Error(`promtool check config failed: ${stdout}${stderr}`));
      else resolve(stdout + stderr);
    });
  });
}
