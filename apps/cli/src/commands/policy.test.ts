import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../config.js';
import { packageDir } from '../up/components.js';
import { runPolicy } from './policy.js';
import { UsageError } from './usage-error.js';

const scratch: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function policy(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await runPolicy(argv, parseEnv({})), out };
  } finally {
    vi.restoreAllMocks();
  }
}

/** A copy of the demo's mesh file and policy directory, to break on purpose. */
async function demoCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-policy-'));
  scratch.push(dir);
  const demo = packageDir('@meshviz/demo');
  await cp(path.join(demo, 'mesh.yaml'), path.join(dir, 'mesh.yaml'));
  await cp(path.join(demo, 'policy'), path.join(dir, 'policy'), { recursive: true });
  return dir;
}

describe('meshviz policy check', () => {
  it("validates the demo's policy and shows who may call each workload", async () => {
    const { code, out } = await policy('check', '--demo');
    expect(code).toBe(0);
    expect(out).toMatch(/^√ 8 policy resources in .*policy are valid$/m);
    expect(out).toMatch(/^WORKLOAD\s+PORT\s+SERVER\s+ROUTE\s+ALLOWED$/m);
    expect(out).toMatch(/^billing\/payments\s+8080\s+server\/payments-http\s+default\/default\s+web\.bookshop\.serviceaccount\.identity\.meshviz\.cluster\.local$/m);
    expect(out).toMatch(/^billing\/ledger\s+8080\s+server\/ledger-http\s+default\/default\s+payments\.billing\.serviceaccount/m);
    expect(out).toMatch(/^billing\/payments\s+8080\s+server\/payments-http\s+default\/probe\s+anyone$/m);
    expect(out).toMatch(/^outside\/scraper\s+8080\s+default:all-unauthenticated\s+default\/default\s+anyone$/m);
  });

  it('exits 1 naming the file, the resource and the field of a mistake', async () => {
    const dir = await demoCopy();
    const file = path.join(dir, 'policy', 'billing.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('name: payments-from-web', 'name: payments-from-web\n  labels: 7'));
    const { code, out } = await policy('check', '-f', path.join(dir, 'mesh.yaml'));
    expect(code).toBe(1);
    expect(out).toMatch(/× policy in .* is invalid:/);
    expect(out).toMatch(/billing\.yaml: AuthorizationPolicy billing\/payments-from-web: metadata\.labels: /);
  });

  it('warns about what matches nothing, and answers JSON', async () => {
    const dir = await demoCopy();
    await writeFile(
      path.join(dir, 'policy', 'orphan.yaml'),
      'apiVersion: policy.meshviz.io/v1\nkind: Server\nmetadata: { name: orphan, namespace: billing }\nspec:\n  podSelector: { matchLabels: { app: nothing } }\n  port: 8080\n',
    );
    const { code, out } = await policy('check', '-f', path.join(dir, 'mesh.yaml'), '-o', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(out) as { valid: boolean; resources: number; warnings: string[] };
    expect(json.valid).toBe(true);
    expect(json.resources).toBe(9);
    expect(json.warnings.some((w) => w.includes('Server billing/orphan'))).toBe(true);
  });

  it('explains its usage', async () => {
    await expect(policy('check')).rejects.toThrow(UsageError);
    await expect(policy('apply')).rejects.toThrow(/unknown policy command "apply"/);
  });
});
