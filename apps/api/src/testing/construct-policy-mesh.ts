#!/usr/bin/env node
/**
 * Constructs fixtures/policy-mesh.json: the answers a Prometheus holding the hand-described mesh of policy-mesh.ts
 * gives to the queries behind POLICY_MESH_CALLS, in the format record-fixtures.ts writes. Constructed, not
 * recorded: once proxies emit the authz families, record the same calls off a real mesh instead.
 * Usage (after a build): node dist/testing/construct-policy-mesh.js src/testing/fixtures/policy-mesh.json
 */
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../app.js';
import { POLICY_MESH_CALLS, POLICY_MESH_CONFIG, policyMeshSeries } from './policy-mesh.js';
import { startSyntheticPrometheus } from './synthetic-prometheus.js';

const [out] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: construct-policy-mesh <out.json>\n');
  process.exit(2);
}
const prom = await startSyntheticPrometheus(policyMeshSeries(), { '/api/v1/status/config': POLICY_MESH_CONFIG });
const app = buildApp({ config: { prometheusUrl: prom.url, prometheusTimeoutMs: 10_000, logLevel: 'warn' } });
await app.ready();
for (const call of POLICY_MESH_CALLS) {
  const res = await app.inject({ url: call });
  process.stdout.write(`${res.statusCode} ${call}\n`);
}
await app.close();
await prom.close();
const lines = Object.entries(prom.answered).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
await writeFile(out, `{\n${lines.join(',\n')}\n}\n`);
process.stdout.write(`constructed ${lines.length} Prometheus answers in ${out}\n`);
