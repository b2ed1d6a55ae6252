import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { compileInboundPolicy } from './compile.js';
import { compileOutbound } from './compile-outbound.js';
import { formatPolicyIssue } from './issues.js';
import { validateDocuments } from './load.js';
import { DEMO_MESH, demoDestinations, demoWorkload } from './testing/mesh.js';

const README = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');

it("loads the README's examples without errors or warnings, and they lock ledger down as the README says", async () => {
  const text = await readFile(README, 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => ({ file: `README.md#${i + 1}`, text: m[1] ?? '' }));
  expect(blocks.length).toBe(7);
  // The demo's Services as discovery lists them, and the canary the split example sends a tenth of /items to.
  const destinations = demoDestinations({ namespace: 'bookshop', service: 'catalog-v2' });
  const result = validateDocuments(blocks, DEMO_MESH, { destinations });
  if (!result.ok) throw new Error(result.errors.map(formatPolicyIssue).join('\n'));
  expect(result.warnings.map(formatPolicyIssue)).toEqual([]);

  const ctx = { trustDomain: DEMO_MESH.trustDomain, clusterNetworks: DEMO_MESH.clusterNetworks, revision: 1 };
  const port = compileInboundPolicy(result.resources, demoWorkload('billing', 'ledger'), ctx).ports[0];
  expect(port?.routes.map((r) => [r.name, r.authorizations.map((a) => a.name)])).toEqual([
    ['ledger-entries', ['ledger-from-payments']],
    ['ledger-health', ['ledger-health-from-this-machine', 'ledger-from-payments']],
  ]);
});

it("compiles the README's outbound examples as the README says", async () => {
  const text = await readFile(README, 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => ({ file: `README.md#${i + 1}`, text: m[1] ?? '' }));
  const destinations = demoDestinations({ namespace: 'bookshop', service: 'catalog-v2' });
  const result = validateDocuments(blocks, DEMO_MESH, { destinations });
  if (!result.ok) throw new Error(result.errors.map(formatPolicyIssue).join('\n'));
  const catalog = compileOutbound(result.resources, destinations).services['catalog.bookshop.svc.cluster.local']?.outbound;
  expect(catalog).toEqual({
    routes: [
      {
        kind: 'HTTPRoute',
        name: 'catalog-items',
        matches: [{ path: { type: 'PathPrefix', value: '/items' }, headers: [] }],
        backends: [
          { authority: 'catalog.bookshop.svc.cluster.local', weight: 90 },
          { authority: 'catalog-v2.bookshop.svc.cluster.local', weight: 10 },
        ],
        timeouts: { requestMs: 2_000, responseMs: 500, idleMs: 30_000 },
        retry: { limit: 2, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: 300 },
        fault: { abort: null, delay: { share: 0.01, ms: 100 } },
      },
    ],
    accrual: { kind: 'consecutive', maxFailures: 5, minPenaltyMs: 1_000, maxPenaltyMs: 60_000, jitter: 0.5 },
  });
});
