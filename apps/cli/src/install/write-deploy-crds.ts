import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deployCrdFiles } from './deploy-crds.js';
import { deployDir } from './paths.js';

/** `npm run deploy-crds -w @meshviz/cli`: rewrites deploy/crds from packages/policy (stale files removed). */
const dir = path.join(deployDir(), 'crds');
const files = deployCrdFiles();
for (const name of await readdir(dir)) {
  if (name.endsWith('.yaml') && !files.some((f) => f.name === name)) await rm(path.join(dir, name));
}
for (const f of files) await writeFile(path.join(dir, f.name), f.text);
console.log(`wrote ${files.map((f) => `deploy/crds/${f.name}`).join(', ')}`);
