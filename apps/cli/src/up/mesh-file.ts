import { readFile } from 'node:fs/promises';
import { MeshFile } from '@meshviz/mesh-types';
import { parse } from 'yaml';
import { checkReferences } from './plan.js';

export class MeshFileError extends Error {}

/** Reads and validates a mesh file; every problem is reported with the path of the field at fault. */
export async function loadMeshFile(file: string): Promise<MeshFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new MeshFileError(`cannot read mesh file ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new MeshFileError(`mesh file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = MeshFile.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new MeshFileError(`mesh file ${file} is invalid:\n${lines.join('\n')}`);
  }
  const problems = checkReferences(parsed.data);
  if (problems.length > 0) throw new MeshFileError(`mesh file ${file} is invalid:\n  ${problems.join('\n  ')}`);
  return parsed.data;
}
