import { readFile } from 'node:fs/promises';
import { PodStatusFile, type StatsRow } from '@meshviz/mesh-types';

/** Reads the local runtime's pod status file on demand; null when there is none or it cannot be read. */
export type PodStatusSource = () => Promise<PodStatusFile | null>;

export const NO_POD_STATUS: PodStatusSource = async () => null;

export function podStatusSource(file: string): PodStatusSource {
  return async () => {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const parsed = PodStatusFile.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
}

/**
 * Puts the restarts of each row's pods on it: a pod row its own, a deployment or namespace row the sum over its
 * pods. Rows of other kinds, and rows the file does not cover, are left as they are (restarts unknown).
 */
export function withRestarts(rows: StatsRow[], status: PodStatusFile | null): StatsRow[] {
  if (!status) return rows;
  return rows.map((row) => {
    const pods = status.pods.filter((p) => {
      if (p.namespace !== row.namespace && row.kind !== 'namespace') return false;
      if (row.kind === 'pod') return p.pod === row.name;
      if (row.kind === 'deployment') return p.deployment === row.name;
      if (row.kind === 'namespace') return p.namespace === row.name;
      return false;
    });
    return pods.length === 0 ? row : { ...row, restarts: pods.reduce((a, p) => a + p.restarts, 0) };
  });
}
