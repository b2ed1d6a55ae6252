#!/usr/bin/env node
// The `meshviz-loadgen` command: loads the built program (committed, not built: see @meshviz/runtime/run-built).
import { runBuilt } from '@meshviz/runtime/run-built';

await runBuilt('meshviz-loadgen', new URL('../dist/loadgen/main.js', import.meta.url));
