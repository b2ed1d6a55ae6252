import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { deployCrdFiles } from './deploy-crds.js';
import { deployDir } from './paths.js';

it('deploy/crds is what packages/policy generates, byte for byte (run `npm run deploy-crds -w @meshviz/cli` after a schema change)', async () => {
  const dir = path.join(deployDir(), 'crds');
  const generated = deployCrdFiles();
  expect((await readdir(dir)).sort()).toEqual(generated.map((f) => f.name).sort());
  for (const f of generated) expect(await readFile(path.join(dir, f.name), 'utf8'), `deploy/crds/${f.name}`).toBe(f.text);
});
