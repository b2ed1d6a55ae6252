import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInstall, runUninstall } from '../commands/install.js';
import { UsageError } from '../commands/usage-error.js';
import { parseEnv } from '../config.js';
import { initTrustFiles } from '../identity/trust-dir.js';
import { containersOf, type KubeObject, objectRef, parseObjects, podSpecOf } from './objects.js';
import { hardeningProblems } from './validation/hardening.js';
import { envNameProblems, policyCrds, referenceProblems } from './validation/render-checks.js';
import { schemaProblems } from './validation/schema.js';

const env = parseEnv({});

/** Runs a command of the CLI as main.ts would, and returns what it printed. */
async function run(command: typeof runInstall, argv: string[], kubectl?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(argv, env, { out: (t) => out.push(t), err: (t) => err.push(t), ...(kubectl ? { kubectl } : {}) });
  return { code, objects: parseObjects(out.join(''), 'meshviz install'), err: err.join('') };
}

const find = (objects: KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const anchorsOf = (objects: KubeObject[]) => (find(objects, 'ConfigMap', 'meshviz-identity-trust-anchors').data as Record<string, string>)['ca-bundle.crt']!;
const data = (o: KubeObject, key: string) => Buffer.from((o.data as Record<string, string>)[key]!, 'base64').toString();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-install-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validated(objects: KubeObject[]): Promise<string[]> {
  return [...(await schemaProblems(objects, policyCrds())), ...hardeningProblems(objects), ...envNameProblems(objects)];
}

describe('meshviz install', () => {
  it('prints CRDs and a control plane that validate, with every Secret and ConfigMap they use', async () => {
    const { code, objects, err } = await run(runInstall, []);
    expect(code).toBe(0);
    expect(await validated(objects)).toEqual([]);
    expect(referenceProblems(objects)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toHaveLength(4);
    expect(objects[0]!.kind).toBe('Namespace');
    expect(err).toMatch(/^meshviz install: 25 objects \(default overlay\), trust domain cluster\.local\n {2}trust anchor CN=root\.identity\.meshviz\.cluster\.local/);
  });

  it('makes a trust chain: an issuer signed by the anchor, its key its own', async () => {
    const { objects } = await run(runInstall, ['--trust-domain', 'prod.example.org']);
    const anchor = new X509Certificate(anchorsOf(objects));
    const issuerSecret = find(objects, 'Secret', 'meshviz-identity-issuer');
    const issuer = new X509Certificate(data(issuerSecret, 'tls.crt'));
    expect(issuerSecret.type).toBe('kubernetes.io/tls');
    expect(issuer.subject).toBe('CN=identity.meshviz.prod.example.org');
    expect(issuer.verify(anchor.publicKey)).toBe(true);
    expect(issuer.checkPrivateKey(createPrivateKey(data(issuerSecret, 'tls.key')))).toBe(true);
    for (const o of objects) {
      for (const c of podSpecOf(o) ? containersOf(podSpecOf(o)!) : []) {
        expect(c.env?.find((e) => e.name === 'CONTROL_TRUST_DOMAIN')?.value, `${objectRef(o)} ${c.name}`).toBe('prod.example.org');
      }
    }
  });

  it("gives the webhook a caBundle that verifies the injector's serving certificate under its Service name", async () => {
    const { objects } = await run(runInstall, []);
    const webhook = find(objects, 'MutatingWebhookConfiguration', 'meshviz-proxy-injector');
    const [hook] = webhook.webhooks as { clientConfig: { caBundle: string; service: { name: string; namespace: string; path: string } } }[];
    const ca = new X509Certificate(Buffer.from(hook!.clientConfig.caBundle, 'base64').toString());
    const tls = find(objects, 'Secret', 'meshviz-proxy-injector-tls');
    const served = new X509Certificate(data(tls, 'tls.crt'));
    expect(served.verify(ca.publicKey)).toBe(true);
    const { name, namespace, path: hookPath } = hook!.clientConfig.service;
    expect(served.checkHost(`${name}.${namespace}.svc`)).toBe(`${name}.${namespace}.svc`);
    expect(hookPath).toBe('/inject');
    // Its own CA: the mesh's anchor must not be what the API server trusts for the webhook.
    const anchor = new X509Certificate(anchorsOf(objects));
    expect(ca.fingerprint256).not.toBe(anchor.fingerprint256);
  });

  it('makes a new anchor on every run', async () => {
    const anchors = await Promise.all([run(runInstall, []), run(runInstall, [])]);
    const pems = anchors.map(({ objects }) => anchorsOf(objects));
    expect(pems[0]).not.toBe(pems[1]);
  });

  it('uses the trust directory given with --identity-dir, and refuses one made for another trust domain', async () => {
    const trustDir = path.join(dir, 'identity');
    await initTrustFiles({ dir: trustDir, trustDomain: 'mesh.test' });
    const { objects, err } = await run(runInstall, ['--identity-dir', trustDir, '--trust-domain', 'mesh.test']);
    expect(anchorsOf(objects)).toBe(await readFile(path.join(trustDir, 'ca.crt'), 'utf8'));
    expect(data(find(objects, 'Secret', 'meshviz-identity-issuer'), 'tls.key')).toBe(await readFile(path.join(trustDir, 'issuer.key'), 'utf8'));
    expect(err).toContain(`from ${trustDir}`);
    await expect(run(runInstall, ['--identity-dir', trustDir])).rejects.toThrow(
      `${trustDir}/issuer.crt is the issuer CN=identity.meshviz.mesh.test, not CN=identity.meshviz.cluster.local`,
    );
    await expect(run(runInstall, ['--identity-dir', path.join(dir, 'none')])).rejects.toThrow(`${path.join(dir, 'none', 'ca.crt')}: missing`);
  });

  it('--ha renders the ha overlay, which validates as well', async () => {
    const { objects } = await run(runInstall, ['--ha']);
    expect(await validated(objects)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget').map(objectRef)).toEqual([
      'PodDisruptionBudget/meshviz-system/meshviz-destination',
      'PodDisruptionBudget/meshviz-system/meshviz-identity',
      'PodDisruptionBudget/meshviz-system/meshviz-proxy-injector',
    ]);
  });

  it('names what is wrong with its arguments', async () => {
    await expect(run(runInstall, ['--ha', '--dev'])).rejects.toThrow(new UsageError('--ha and --dev are two overlays: pick one'));
    await expect(run(runInstall, ['--trust-domain', 'Not A Domain'])).rejects.toThrow('--trust-domain "Not A Domain" is not a lower-case DNS name');
    await expect(run(runInstall, ['control'])).rejects.toThrow('meshviz install takes no arguments but "viz" first (got control)');
    await expect(run(runInstall, ['viz', '--identity-dir', dir])).rejects.toThrow('--identity-dir belongs to `meshviz install`');
    await expect(run(runInstall, ['--replicas', '3'])).rejects.toThrow("Unknown option '--replicas'");
  });

  it('says so when kubectl is missing', async () => {
    await expect(run(runInstall, [], path.join(dir, 'no-kubectl'))).rejects.toThrow(
      `${path.join(dir, 'no-kubectl')} was not found: meshviz renders its manifests with \`kubectl kustomize\`; install kubectl and run again`,
    );
  });
});

describe('meshviz install viz', () => {
  it('prints the viz stack with a fresh tap token; with the control plane, every reference is satisfied', async () => {
    const [viz, again, control] = await Promise.all([run(runInstall, ['viz']), run(runInstall, ['viz']), run(runInstall, [])]);
    expect(await validated(viz.objects)).toEqual([]);
    expect(referenceProblems([...control.objects, ...viz.objects])).toEqual([]);
    const token = data(find(viz.objects, 'Secret', 'meshviz-tap'), 'token');
    expect(token.length).toBeGreaterThanOrEqual(16);
    expect(token).not.toBe(data(find(again.objects, 'Secret', 'meshviz-tap'), 'token'));
    expect(viz.err).toMatch(
      /^meshviz install viz: 28 objects \(default overlay\), with a fresh tap token in Secret meshviz-viz\/meshviz-tap\n {2}no --trust-anchors: .*\n {2}kubectl create configmap meshviz-identity-trust-anchors -n meshviz-viz/,
    );
  });

  it('puts the anchors of --trust-anchors where the injected viz proxies mount them, and refuses what is not a CA', async () => {
    const trustDir = path.join(dir, 'viz-identity');
    await initTrustFiles({ dir: trustDir, trustDomain: 'cluster.local' });
    const { objects, err } = await run(runInstall, ['viz', '--trust-anchors', path.join(trustDir, 'ca.crt')]);
    const anchors = find(objects, 'ConfigMap', 'meshviz-identity-trust-anchors');
    expect(anchors.metadata.namespace).toBe('meshviz-viz');
    expect(anchorsOf(objects)).toBe(await readFile(path.join(trustDir, 'ca.crt'), 'utf8'));
    expect(await validated(objects)).toEqual([]);
    expect(err).not.toContain('no --trust-anchors');
    await expect(run(runInstall, ['viz', '--trust-anchors', path.join(trustDir, 'issuer.key')])).rejects.toThrow(
      `--trust-anchors ${path.join(trustDir, 'issuer.key')}: holds no PEM certificate`,
    );
    await expect(run(runInstall, ['viz', '--trust-anchors', path.join(trustDir, 'none.crt')])).rejects.toThrow('none.crt: missing');
    await expect(run(runInstall, ['--trust-anchors', path.join(trustDir, 'ca.crt')])).rejects.toThrow('--trust-anchors belongs to `meshviz install viz`');
  });
});

describe('meshviz uninstall', () => {
  it('names every object of both installs in any overlay, the webhook first, namespaces and CRDs last', async () => {
    const { objects } = await run(runUninstall, []);
    const names = objects.map(objectRef);
    for (const args of [['--ha'], ['viz', '--ha'], ['--dev'], ['viz', '--dev']]) {
      const installed = (await run(runInstall, args)).objects;
      for (const o of installed) expect(names, objectRef(o)).toContain(objectRef(o));
    }
    expect(objects[0]!.kind).toBe('MutatingWebhookConfiguration');
    const firstLast = objects.findIndex((o) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition');
    expect(objects.slice(firstLast).every((o) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition')).toBe(true);
    expect(objects.every((o) => Object.keys(o).sort().join() === 'apiVersion,kind,metadata')).toBe(true);
  });
});
