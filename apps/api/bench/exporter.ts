/**
 * The synthetic mesh's exporter as a process of its own (started by spawnSyntheticMesh): serving the store's
 * scrapes does not share the benchmarked API's event loop. Prints the mesh's address and targets as one JSON line,
 * and exits when its parent closes its stdin (or dies) or on SIGTERM.
 * Usage: exporter.ts <workloads> <namespaces> <edges per workload>
 */
import { startSyntheticMesh } from './synthetic-mesh.js';

const [workloads, namespaces, edges] = process.argv.slice(2).map(Number);
if (!workloads || !namespaces || !edges) {
  process.stderr.write('usage: exporter.ts <workloads> <namespaces> <edges per workload>\n');
  process.exit(2);
}
const mesh = await startSyntheticMesh(workloads, namespaces, edges);
process.stdout.write(`${JSON.stringify({ url: mesh.url, targets: mesh.targets })}\n`);
const stop = () => void mesh.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.on('end', stop).resume();
