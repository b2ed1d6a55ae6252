#!/usr/bin/env node
// The `meshviz-api-rules` command: loads the built program (committed, not built: see @meshviz/runtime/run-built).
import { runBuilt } from '@meshviz/runtime/run-built';

await runBuilt('meshviz-api-rules', new URL('../dist/rules.js', import.meta.url));
