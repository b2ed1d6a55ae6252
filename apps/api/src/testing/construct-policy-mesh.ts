#!/usr/bin/env node
/**
 * Constructs fixtures/policy-mesh.json: the answers a Prometheus holding the hand-described mesh of policy-mesh.ts
 * gives to the queries behind POLICY_MESH_CALLS, in the format record-fixtures.ts writes. Constructed, not
 * recorded: once proxies emit the authz families, record the same calls off a real mesh instead.
 * Usage (after a build): node dist/testing/construct-policy-mesh.js src/testing/fixtures/policy-mesh.json
 */
import { constructFixture } from './construct.js';
import { POLICY_MESH_CALLS, policyMeshSeries } from './policy-mesh.js';

const [out] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: construct-policy-mesh <out.json>\n');
  process.exit(2);
}
await constructFixture(policyMeshSeries(), POLICY_MESH_CALLS, out);
