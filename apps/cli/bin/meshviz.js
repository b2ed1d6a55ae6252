#!/usr/bin/env node
// The `meshviz` command: loads the built program (committed, not built: see @meshviz/runtime/run-built).
import { runBuilt } from '@meshviz/runtime/run-built';

await runBuilt('meshviz', new URL('../dist/main.js', import.meta.url));
