import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MeshFile, TapQuery } from '@meshviz/mesh-types';
import { validateDocuments } from '@meshviz/policy';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadMeshFile, MeshFileError } from '../../../apps/cli/src/up/mesh-file.js';
import { DEMO_MESH } from '../../../packages/policy/src/testing/mesh.js';
import { fuzzParams } from '../support/budget.js';
import { editedText, editedTree, hostileJson } from '../support/documents.js';

/**
 * The files people write by hand — the mesh file of `meshviz up`, policy and route resources — and the tap filters,
 * taken from the demo's valid ones and broken structurally (values, keys, items) and as text: each is accepted or
 * refused with a message naming what is wrong, never with a TypeError or any other exception.
 */
const demo = new URL('../../../apps/demo/', import.meta.url);
const meshText = readFileSync(new URL('mesh.yaml', demo), 'utf8');
const policyDir = new URL('policy/', demo);
const policyFiles = readdirSync(policyDir)
  .filter((n) => n.endsWith('.yaml'))
  .map((name) => ({ file: `policy/${name}`, text: readFileSync(new URL(name, policyDir), 'utf8') }));

const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-hardening-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

/** Loads a mesh file the way `meshviz up` does: it is valid, or a MeshFileError says why. */
async function expectMeshFileVerdict(text: string): Promise<void> {
  const file = path.join(dir, `mesh-${written++}.yaml`);
  writeFileSync(file, text);
  try {
    MeshFile.parse(await loadMeshFile(file));
  } catch (error) {
    expect(error, String((error as Error)?.stack)).toBeInstanceOf(MeshFileError);
    expect((error as Error).message).toMatch(/^mesh file .+:\s+\S/s);
  } finally {
    rmSync(file, { force: true });
  }
}

/** Validates policy documents: all resources, or errors each naming its file and what is wrong; never a throw. */
function expectPolicyVerdict(docs: { file: string; text: string }[]): void {
  const result = validateDocuments(docs, DEMO_MESH);
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const issue of result.errors) {
    expect(issue.file).toMatch(/^policy\//);
    expect(issue.message.trim().length).toBeGreaterThan(0);
  }
}

describe('mesh file (meshviz up)', () => {
  it('accepts the demo mesh file (the fuzzers start from it)', async () => {
    const file = path.join(dir, 'demo.yaml');
    writeFileSync(file, meshText);
    await expect(loadMeshFile(file)).resolves.toBeDefined();
  });

  it('refuses structurally broken mesh files with a MeshFileError', async () => {
    await fc.assert(
      fc.asyncProperty(editedTree(parse(meshText)), async (tree) => expectMeshFileVerdict(stringify(tree))),
      fuzzParams(150),
    );
  });

  it('refuses textually broken mesh files with a MeshFileError', async () => {
    await fc.assert(
      fc.asyncProperty(editedText(meshText), async (text) => expectMeshFileVerdict(text)),
      fuzzParams(150),
    );
  });
});

describe('policy and route resources', () => {
  it('accepts the demo policy (the fuzzers start from it)', () => {
    expect(validateDocuments(policyFiles, DEMO_MESH)).toMatchObject({ ok: true });
  });

  it('reports structurally broken resources as issues, never a throw', () => {
    const trees = policyFiles.map((f) => f.text.split(/^---$/m).map((d) => parse(d) as unknown));
    // One document of one file broken by a few edits, the rest of that file and the other files as they were.
    const broken = fc.nat(trees.length - 1).chain((fileAt) =>
      fc.nat((trees[fileAt]?.length ?? 1) - 1).chain((docAt) =>
        editedTree(trees[fileAt]?.[docAt]).map((doc) => ({ fileAt, docAt, doc })),
      ),
    );
    fc.assert(
      fc.property(broken, ({ fileAt, docAt, doc }) => {
        const text = (trees[fileAt] ?? []).map((d, i) => stringify(i === docAt ? doc : d)).join('---\n');
        expectPolicyVerdict(policyFiles.map((f, i) => (i === fileAt ? { file: f.file, text } : f)));
      }),
      fuzzParams(150),
    );
  });

  it('reports textually broken resource files as issues, never a throw', () => {
    const broken = fc.nat(policyFiles.length - 1).chain((fileAt) => editedText(policyFiles[fileAt]?.text ?? '').map((text) => ({ fileAt, text })));
    fc.assert(
      fc.property(broken, ({ fileAt, text }) => {
        expectPolicyVerdict(policyFiles.map((f, i) => (i === fileAt ? { file: f.file, text } : f)));
      }),
      fuzzParams(150),
    );
  });

  it('reports documents of any shape as issues, never a throw', () => {
    fc.assert(
      fc.property(fc.array(hostileJson, { maxLength: 3 }), (docs) => {
        expectPolicyVerdict([{ file: 'policy/any.yaml', text: docs.map((d) => stringify(d)).join('---\n') }]);
      }),
      fuzzParams(100),
    );
  });
});

describe('tap filters (TapQuery)', () => {
  it('parses or refuses any query object with an issue naming the field, never a throw', () => {
    const key = fc.oneof(fc.constantFrom(...Object.keys(TapQuery.shape)), fc.string({ maxLength: 10 }));
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(hostileJson, fc.array(fc.string(), { maxLength: 2 }))), (query) => {
        const result = TapQuery.safeParse(query);
        if (result.success) return;
        for (const issue of result.error.issues) {
          expect(issue.path.length, JSON.stringify(issue)).toBeGreaterThan(0);
          expect(issue.message.length).toBeGreaterThan(0);
        }
      }),
      fuzzParams(300),
    );
  });
});
