#!/usr/bin/env node
// The heap is sized before the rest of the program is even parsed. Static imports are all loaded and compiled
// before the first of them runs, and doing that for the whole program grew V8's young generation to 4 MiB
// semi-spaces (8 MiB of RSS, kept for the process's life) before heap-sizing.ts could hold it at 1 MiB.
import './heap-sizing.js';

await import('./run.js');
