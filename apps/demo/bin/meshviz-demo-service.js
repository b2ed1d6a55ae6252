#!/usr/bin/env node
// The `meshviz-demo-service` command: loads the built program (committed, not built: see @meshviz/runtime/run-built).
import { runBuilt } from '@meshviz/runtime/run-built';

await runBuilt('meshviz-demo-service', new URL('../dist/service/main.js', import.meta.url));
