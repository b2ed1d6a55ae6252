#!/usr/bin/env node
// The `meshviz-control` command: loads the built program (committed, not built: see @meshviz/runtime/run-built).
import { runBuilt } from '@meshviz/runtime/run-built';

await runBuilt('meshviz-control', new URL('../dist/main.js', import.meta.url));
