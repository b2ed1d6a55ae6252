#!/usr/bin/env node
/**
 * Constructs fixtures/outbound-mesh.json: the answers a Prometheus holding the hand-described mesh of
 * outbound-mesh.ts gives to the queries behind OUTBOUND_MESH_CALLS. Constructed, not recorded: once proxies emit the
 * outbound_http_* families, record the same calls off a real mesh instead (record-fixtures.ts).
 * Usage (after a build): node dist/testing/construct-outbound-mesh.js src/testing/fixtures/outbound-mesh.json
 */
import { constructFixture } from './construct.js';
import { OUTBOUND_MESH_CALLS, outboundMeshSeries } from './outbound-mesh.js';

const [out] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: construct-outbound-mesh <out.json>\n');
  process.exit(2);
}
await constructFixture(outboundMeshSeries(), OUTBOUND_MESH_CALLS, out);
