#!/usr/bin/env node
// The `meshviz` command. This file is committed, not built: npm links a workspace's bin into node_modules/.bin only
// if the file exists when it installs, and dist/ is built after that, so a bin pointing into dist/ would leave a
// fresh clone without `npx meshviz`. It only loads the built CLI, in this same process (signals, exit code, stdio).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('meshviz: the CLI is not built (apps/cli/dist/main.js is missing); run npm run build\n');
  process.exit(1);
}
await import(main.href);
