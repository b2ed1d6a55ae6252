import { readFile } from 'node:fs/promises';
import { MeshFile } from '@meshviz/mesh-types';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { checkReferences } from './plan.js';

export class MeshFileError extends Error {}

/**
 * The line of the YAML node at `path`, or of its nearest parent that exists (a missing field is reported at the
 * mapping that lacks it).
 */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}

/** Parses and validates mesh file text; every problem names its line and the path of the field at fault. */
export function parseMeshFile(text: string, file: string): MeshFile {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new MeshFileError(`mesh file ${file} is not valid YAML: ${doc.errors.map((e) => e.message).join('\n')}`);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    // Aliases are resolved here, not while parsing: an alias to no anchor, or more expansions than the parser allows.
    throw new MeshFileError(`mesh file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = MeshFile.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const line = lineOf(doc, counter, i.path);
      // A bad record key's own message (e.g. "must be an environment variable name") says more than zod's wrapper.
      const inner = i.code === 'invalid_key' ? i.issues[0]?.message : undefined;
      return `  ${line === null ? '' : `line ${line}: `}${i.path.join('.') || '(root)'}: ${inner ?? i.message}`;
    });
    throw new MeshFileError(`mesh file ${file} is invalid:\n${lines.join('\n')}`);
  }
  const problems = checkReferences(parsed.data);
  if (problems.length > 0) throw new MeshFileError(`mesh file ${file} is invalid:\n  ${problems.join('\n  ')}`);
  return parsed.data;
}

/** Reads and validates a mesh file. */
export async function loadMeshFile(file: string): Promise<MeshFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new MeshFileError(`cannot read mesh file ${file}: ${(err as Error).message}`);
  }
  return parseMeshFile(text, file);
}
