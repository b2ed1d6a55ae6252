import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdFiles } from './crds.js';

/** `npm run crds -w @meshviz/policy`: rewrites packages/policy/crds/ from the schemas (stale files removed). */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'crds');
await mkdir(dir, { recursive: true });
const files = crdFiles();
for (const name of await readdir(dir)) {
  if (name.endsWith('.yaml') && !files.some((f) => f.name === name)) await rm(path.join(dir, name));
}
for (const f of files) await writeFile(path.join(dir, f.name), f.text);
console.log(`wrote ${files.map((f) => `crds/${f.name}`).join(', ')}`);
