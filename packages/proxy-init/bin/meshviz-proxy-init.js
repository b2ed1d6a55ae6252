#!/usr/bin/env node
// The `meshviz-proxy-init` command. Committed, not built: npm links a workspace's bin only if its file exists when it
// installs, and dist/ is built after that. It only loads the built program, in this same process.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('meshviz-proxy-init: not built (packages/proxy-init/dist/main.js is missing); run npm run build\n');
  process.exit(1);
}
await import(main.href);
