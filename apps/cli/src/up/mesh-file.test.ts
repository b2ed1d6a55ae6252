import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshFile } from '@meshviz/mesh-types';
import { afterAll, describe, expect, it } from 'vitest';
import { packageDir } from './components.js';
import { loadMeshFile, MeshFileError, parseMeshFile } from './mesh-file.js';
import { checkReferences, planMesh } from './plan.js';
import { PortAllocator } from './ports.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tmpFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-test-'));
  dirs.push(dir);
  const file = path.join(dir, 'mesh.yaml');
  await writeFile(file, text);
  return file;
}

describe('loadMeshFile', () => {
  it('accepts the bundled demo mesh: 2+ namespaces, 4+ services, some with 2+ replicas', async () => {
    const mesh = await loadMeshFile(path.join(packageDir('@meshviz/demo'), 'mesh.yaml'));
    const workloads = mesh.namespaces.flatMap((ns) => ns.workloads);
    expect(mesh.namespaces.length).toBeGreaterThanOrEqual(2);
    expect(workloads.length).toBeGreaterThanOrEqual(4);
    expect(workloads.some((w) => w.replicas >= 2)).toBe(true);
    expect(mesh.load?.targets.length).toBeGreaterThan(0);
  });

  it('refuses an alias to no anchor and an alias bomb as invalid YAML, never a crash (found by npm run fuzz:long)', () => {
    const unresolved = 'namespaces:\n  - name: shop\n    workloads:\n      - { name: api, routes: [{ method: *\\bET, path: /x }] }\n';
    expect(() => parseMeshFile(unresolved, 'mesh.yaml')).toThrow(MeshFileError);
    expect(() => parseMeshFile(unresolved, 'mesh.yaml')).toThrow(/mesh file mesh\.yaml is not valid YAML: .*alias/i);
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(() => parseMeshFile(`${levels.join('\n')}\n`, 'bomb.yaml')).toThrow(MeshFileError);
  });

  it('names the field at fault', async () => {
    const file = await tmpFile('namespaces:\n  - name: Shop\n    workloads: []\n');
    await expect(loadMeshFile(file)).rejects.toThrow(/namespaces\.0\.name: must be a DNS-1123 label/);
    await expect(loadMeshFile(file)).rejects.toThrow(/namespaces\.0\.workloads/);
  });

  it('names the line of the field at fault, or of the mapping that lacks it', async () => {
    const file = await tmpFile(
      [
        'namespaces:',
        '  - name: shop',
        '    workloads:',
        '      - name: api',
        '        command: [node, server.js]',
        '        replicas: 0',
        '        readiness: { tcpSocket: {} }',
        '      - name: db',
        '        command: []',
        '        port: 5432',
        '        env: { 1BAD: x }',
        '        readiness: { exec: {} }',
      ].join('\n'),
    );
    const err = await loadMeshFile(file).catch((e: Error) => e.message);
    expect(err).toMatch(/line 6: namespaces\.0\.workloads\.0\.replicas: Too small/);
    expect(err).toMatch(/line 7: namespaces\.0\.workloads\.0\.readiness: a readiness probe needs the port the program serves/);
    expect(err).toMatch(/line 9: namespaces\.0\.workloads\.1\.command: /);
    expect(err).toMatch(/line 11: namespaces\.0\.workloads\.1\.env\.1BAD: .*must be an environment variable name/);
    expect(err).toMatch(/line 12: namespaces\.0\.workloads\.1\.readiness: must be \{ httpGet/);
  });

  it('accepts a workload that runs its own program, and refuses program fields on the demo service', async () => {
    const ok = await loadMeshFile(
      await tmpFile(
        'namespaces:\n  - name: shop\n    workloads:\n      - name: api\n        command: [node, server.js, "$(PORT)"]\n        port: 8080\n        env: { GREETING: hi }\n        readiness: { httpGet: { path: /ready } }\n',
      ),
    );
    expect(ok.namespaces[0]!.workloads[0]).toMatchObject({ command: ['node', 'server.js', '$(PORT)'], port: 8080, routes: [], readiness: { httpGet: { path: '/ready' } } });
    const demo = await tmpFile('namespaces:\n  - name: shop\n    workloads:\n      - name: web\n        env: { A: b }\n');
    const err = await loadMeshFile(demo).catch((e: Error) => e.message);
    expect(err).toMatch(/line 4: namespaces\.0\.workloads\.0\.routes: the demo service needs at least one route/);
    expect(err).toMatch(/line 5: namespaces\.0\.workloads\.0\.env: env is for a workload with a command/);
  });

  it('rejects calls to services that do not exist', async () => {
    const file = await tmpFile(
      'namespaces:\n  - name: shop\n    workloads:\n      - name: web\n        routes:\n          - path: /\n            calls: [{ service: nope.shop, path: / }]\n',
    );
    await expect(loadMeshFile(file)).rejects.toThrow(/calls unknown service "nope.shop"/);
  });

  it('reports YAML syntax errors and missing files', async () => {
    await expect(loadMeshFile(await tmpFile('namespaces: [\n'))).rejects.toThrow(/not valid YAML/);
    await expect(loadMeshFile('/nonexistent/mesh.yaml')).rejects.toThrow(/cannot read mesh file/);
  });
});

describe('planMesh', () => {
  it('gives every replica distinct ports and lists each replica as an endpoint of its service', async () => {
    const mesh = await loadMeshFile(path.join(packageDir('@meshviz/demo'), 'mesh.yaml'));
    const plan = await planMesh(mesh, new PortAllocator());
    const ports = plan.replicas.flatMap((r) => [r.appPort, ...Object.values(r.proxy)]);
    expect(new Set(ports).size).toBe(ports.length);
    const web = plan.destinations.services['web.bookshop.svc.cluster.local'];
    expect(web?.endpoints.length).toBe(plan.replicas.filter((r) => r.workload === 'web').length);
    expect(web?.endpoints[0]).toMatchObject({
      namespace: 'bookshop',
      deployment: 'web',
      pod: 'web-0',
      identity: 'web.bookshop.serviceaccount.identity.meshviz.cluster.local',
    });
  });

  it('names each replica by its workload service account (its name by default) in the trust domain', async () => {
    const mesh = MeshFile.parse({
      namespaces: [
        { name: 'shop', workloads: [{ name: 'api', serviceAccount: 'api-sa', routes: [{ path: '/' }] }, { name: 'db', routes: [{ path: '/' }] }] },
      ],
    });
    const plan = await planMesh(mesh, new PortAllocator(), 'example.org');
    expect(plan.replicas.map((r) => r.identity)).toEqual([
      'api-sa.shop.serviceaccount.identity.meshviz.example.org',
      'db.shop.serviceaccount.identity.meshviz.example.org',
    ]);
  });

  it('gives a replica with an override its own behaviour, and refuses an override of a replica that is not there', async () => {
    const mesh = MeshFile.parse({
      namespaces: [
        {
          name: 'shop',
          workloads: [
            {
              name: 'catalog',
              replicas: 2,
              routes: [{ path: '/books', latencyMs: 3 }],
              replicaOverrides: [{ replica: 1, failShare: 0.25, failStatus: 503 }],
            },
          ],
        },
      ],
    });
    const plan = await planMesh(mesh, new PortAllocator());
    expect(plan.replicas.map((r) => [r.pod, r.routes?.[0]?.failShare, r.routes?.[0]?.failStatus, r.routes?.[0]?.latencyMs])).toEqual([
      ['catalog-0', 0, 500, 3],
      ['catalog-1', 0.25, 503, 3],
    ]);
    const wrong = MeshFile.parse({
      namespaces: [{ name: 'shop', workloads: [{ name: 'catalog', replicas: 2, routes: [{ path: '/' }], replicaOverrides: [{ replica: 2, failShare: 1 }] }] }],
    });
    expect(checkReferences(wrong)).toEqual(['shop/catalog replicaOverrides.0.replica: 2 is not a replica (it has 2, counted from 0)']);
  });
});
