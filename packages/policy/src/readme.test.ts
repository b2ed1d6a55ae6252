import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { compileInboundPolicy } from './compile.js';
import { formatPolicyIssue } from './issues.js';
import { validateDocuments } from './load.js';
import { DEMO_MESH, demoWorkload } from './testing/mesh.js';

const README = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');

it("loads the README's examples without errors or warnings, and they lock ledger down as the README says", async () => {
  const text = await readFile(README, 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => ({ file: `README.md#${i + 1}`, text: m[1] ?? '' }));
  expect(blocks.length).toBe(5);
  const result = validateDocuments(blocks, DEMO_MESH);
  if (!result.ok) throw new Error(result.errors.map(formatPolicyIssue).join('\n'));
  expect(result.warnings.map(formatPolicyIssue)).toEqual([]);

  const ctx = { trustDomain: DEMO_MESH.trustDomain, clusterNetworks: DEMO_MESH.clusterNetworks, revision: 1 };
  const port = compileInboundPolicy(result.resources, demoWorkload('billing', 'ledger'), ctx).ports[0];
  expect(port?.routes.map((r) => [r.name, r.authorizations.map((a) => a.name)])).toEqual([
    ['ledger-entries', ['ledger-from-payments']],
    ['ledger-health', ['ledger-health-from-this-machine', 'ledger-from-payments']],
  ]);
});
