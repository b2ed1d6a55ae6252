#!/usr/bin/env node
// The `meshviz-api` command: loads the built program (committed, not built: see @meshviz/runtime/run-built).
import { runBuilt } from '@meshviz/runtime/run-built';

await runBuilt('meshviz-api', new URL('../dist/server.js', import.meta.url));
