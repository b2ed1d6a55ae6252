import { parseAllDocuments } from 'yaml';
import { type PolicyIssue, zodIssueMessages } from './issues.js';
import { POLICY_KINDS, type PolicyKind, type PolicyResource } from './resources.js';

/** A resource that passed its schema, with where it came from. */
export interface LoadedResource {
  readonly file: string;
  /** 1-based place of the document in its file. */
  readonly document: number;
  /** `Kind namespace/name`, as issues name it. */
  readonly label: string;
  readonly resource: PolicyResource;
}

/** A document that names a known kind, namespace and name, valid or not: references to it are not "missing". */
export interface DeclaredResource {
  readonly file: string;
  readonly document: number;
  readonly key: string;
}

export interface ParsedFile {
  readonly loaded: LoadedResource[];
  readonly declared: DeclaredResource[];
  readonly errors: PolicyIssue[];
}

const KIND_NAMES = Object.keys(POLICY_KINDS) as PolicyKind[];

export function resourceKey(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace}/${name}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKind(kind: unknown): kind is PolicyKind {
  return typeof kind === 'string' && (KIND_NAMES as string[]).includes(kind);
}

/** How issues name a document: `Kind namespace/name` when its metadata says so, its place in the file otherwise. */
function documentLabel(value: Record<string, unknown>, document: number): string {
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const meta = isRecord(value.metadata) ? value.metadata : {};
  if (typeof meta.name === 'string' && typeof meta.namespace === 'string') {
    return resourceKey(kind ?? 'resource', meta.namespace, meta.name);
  }
  return `document ${document}${kind ? ` (${kind})` : ''}`;
}

/** Parses one file's YAML documents and checks each against its kind's schema. Empty documents are skipped. */
export function parseDocuments(file: string, text: string): ParsedFile {
  const out: ParsedFile = { loaded: [], declared: [], errors: [] };
  const documents = parseAllDocuments(text);
  documents.forEach((doc, i) => {
    const document = i + 1;
    const issue = (resource: string, path: string, message: string) =>
      out.errors.push({ file, resource, path, message });
    const [yamlError] = doc.errors;
    if (yamlError) {
      // The first error is the cause; the parser's later ones follow from it. Lines count from the file's start.
      const where = yamlError.linePos ? ` at line ${yamlError.linePos[0].line}, column ${yamlError.linePos[0].col}` : '';
      const reason = (yamlError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      issue(`document ${document}`, '', `invalid YAML${where}: ${reason}`);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (error) {
      // Aliases are resolved here, not while parsing: an alias to no anchor, or more expansions than the parser allows.
      issue(`document ${document}`, '', `invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (value === null || value === undefined) return;
    if (!isRecord(value)) {
      issue(`document ${document}`, '', 'must be a mapping with apiVersion, kind, metadata and spec');
      return;
    }
    const label = documentLabel(value, document);
    if (!isKind(value.kind)) {
      const message =
        value.kind === undefined
          ? 'is required'
          : `unknown kind ${JSON.stringify(value.kind)}: policy resources are ${KIND_NAMES.join(', ')}`;
      issue(label, 'kind', message);
      return;
    }
    const kind = value.kind;
    const { schema, apiVersions } = POLICY_KINDS[kind];
    const badVersion = value.apiVersion !== undefined && !(apiVersions as readonly unknown[]).includes(value.apiVersion);
    if (badVersion) {
      issue(label, 'apiVersion', `${JSON.stringify(value.apiVersion)} is not an apiVersion of ${kind}: use ${apiVersions.join(' or ')}`);
    }
    const meta = isRecord(value.metadata) ? value.metadata : {};
    if (typeof meta.name === 'string' && typeof meta.namespace === 'string') {
      out.declared.push({ file, document, key: resourceKey(kind, meta.namespace, meta.name) });
    }
    const result = schema.safeParse(value, { reportInput: true });
    if (!result.success) {
      for (const zodIssue of result.error.issues) {
        if (badVersion && zodIssue.path[0] === 'apiVersion') continue;
        for (const { path, message } of zodIssueMessages(zodIssue)) issue(label, path, message);
      }
      return;
    }
    if (!badVersion) out.loaded.push({ file, document, label, resource: result.data as PolicyResource });
  });
  return out;
}
