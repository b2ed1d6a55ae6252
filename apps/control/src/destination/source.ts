import { DestinationsFile, PolicyWorkloads } from '@meshviz/mesh-types';
import { compileOutbound, formatPolicyIssue, loadPolicyDir, PolicyCompileError, type PolicyLoadResult } from '@meshviz/policy';
import type { CatalogLoad } from '../streaming/catalog.js';
import { readJsonFile } from '../streaming/json-file.js';

/** The destination service serves one table to every proxy: one catalog entry, under this key. */
export const DESTINATIONS_KEY = 'destinations';

export interface DestinationSourceOptions {
  /** The discovery table of services and endpoints (DestinationsFile JSON, written by `meshviz up`). */
  baseFile: string;
  /** The policy directory: outbound routes and Service documents (inbound resources are validated, not used). */
  dir: string | undefined;
  /** The workloads, when known: the directory is then validated exactly as the policy service validates it. */
  workloadsFile: string | undefined;
}

/**
 * Reads the discovery table and the policy directory and compiles the outbound resources into the table. Any error —
 * an unreadable or invalid table or workloads file, any invalid resource, a Service or backend the table does not
 * list — refuses the whole load, naming the file, the resource and the field.
 */
export async function loadDestinations(options: DestinationSourceOptions): Promise<CatalogLoad<DestinationsFile>> {
  const base = await readJsonFile(options.baseFile, DestinationsFile, 'the discovery table');
  if (!base.ok) return base;
  let mesh: PolicyWorkloads | null = null;
  if (options.workloadsFile) {
    const workloads = await readJsonFile(options.workloadsFile, PolicyWorkloads, 'the workloads file');
    if (!workloads.ok) return workloads;
    mesh = workloads.value;
  }
  const loaded = options.dir
    ? await loadPolicyDir(options.dir, mesh, { destinations: base.value })
    : { ok: true as const, resources: [], warnings: [] };
  return compileDestinations(loaded, base.value);
}

/** Compiles a validated load's outbound resources into the discovery table (a refused load refuses the whole). */
export function compileDestinations(loaded: PolicyLoadResult, base: DestinationsFile, extraWarnings: string[] = []): CatalogLoad<DestinationsFile> {
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map(formatPolicyIssue) };
  let destinations: DestinationsFile;
  try {
    destinations = compileOutbound(loaded.resources, base);
  } catch (error) {
    // The loader was given the same table, so this means the two disagree: refuse rather than serve half of it.
    if (error instanceof PolicyCompileError) return { ok: false, errors: [error.message] };
    throw error;
  }
  return {
    ok: true,
    entries: new Map([[DESTINATIONS_KEY, destinations]]),
    warnings: [...extraWarnings, ...loaded.warnings.map(formatPolicyIssue)],
  };
}
