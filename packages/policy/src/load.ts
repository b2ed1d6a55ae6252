import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DestinationsFile, PolicyWorkloads } from '@meshviz/mesh-types';
import { compareNames } from './coverage.js';
import type { PolicyIssue } from './issues.js';
import { outboundWarnings } from './outbound-warnings.js';
import { type DeclaredResource, type LoadedResource, parseDocuments } from './parse-documents.js';
import { duplicateErrors, referenceErrors } from './references.js';
import type { PolicyResource } from './resources.js';
import { policyWarnings } from './warnings.js';

/**
 * All or nothing: either every resource of the directory, with warnings, or the errors and no resources, so a
 * broken edit never leaves half a policy in force.
 */
export type PolicyLoadResult =
  | { ok: true; resources: PolicyResource[]; warnings: PolicyIssue[] }
  | { ok: false; errors: PolicyIssue[] };

export interface PolicyDocument {
  /** How issues name the file (e.g. `policy/billing.yaml`). */
  readonly file: string;
  readonly text: string;
}

export interface LoadOptions {
  /**
   * The discovery table. Given, Service documents and outbound routes' backends must name Services it lists
   * (errors), and routes attached to a Service it lacks are warned about; absent, those checks are skipped.
   */
  readonly destinations?: DestinationsFile;
}

/**
 * Checks the documents of a set of files: YAML, each document's schema, duplicate names, references between
 * resources, the workloads' port names and the Services discovery knows (errors), then what matches nothing
 * (warnings). `mesh` null means the workloads are not known: checks against them are skipped. Resources come back
 * ordered by kind, namespace and name.
 */
export function validateDocuments(
  docs: readonly PolicyDocument[],
  mesh: PolicyWorkloads | null,
  options: LoadOptions = {},
): PolicyLoadResult {
  const loaded: LoadedResource[] = [];
  const declared: DeclaredResource[] = [];
  const errors: PolicyIssue[] = [];
  for (const { file, text } of docs) {
    const parsed = parseDocuments(file, text);
    loaded.push(...parsed.loaded);
    declared.push(...parsed.declared);
    errors.push(...parsed.errors);
  }
  errors.push(...duplicateErrors(declared), ...referenceErrors(loaded, declared, mesh?.workloads ?? null, options.destinations));
  if (errors.length > 0) return { ok: false, errors };
  const resources = loaded
    .map((l) => l.resource)
    .sort(
      (a, b) =>
        compareNames(a.kind, b.kind) ||
        compareNames(a.metadata.namespace, b.metadata.namespace) ||
        compareNames(a.metadata.name, b.metadata.name),
    );
  return { ok: true, resources, warnings: [...policyWarnings(loaded, mesh), ...outboundWarnings(loaded, options.destinations)] };
}

const POLICY_FILE = /\.ya?ml$/;

/**
 * Reads every `*.yaml` and `*.yml` file directly in `dir` (not in subdirectories; hidden files are skipped), in
 * name order, and validates them together. Files are named in issues as `dir` joined with the file's name. A
 * directory that cannot be read is an error of its own.
 */
export async function loadPolicyDir(dir: string, mesh: PolicyWorkloads | null, options: LoadOptions = {}): Promise<PolicyLoadResult> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries
      .filter((e) => e.isFile() && POLICY_FILE.test(e.name) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort(compareNames);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ file: dir, resource: '', path: '', message: `cannot read the policy directory: ${reason}` }] };
  }
  const docs: PolicyDocument[] = [];
  const errors: PolicyIssue[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      docs.push({ file, text: await readFile(file, 'utf8') });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      errors.push({ file, resource: '', path: '', message: `cannot read the file: ${reason}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return validateDocuments(docs, mesh, options);
}
