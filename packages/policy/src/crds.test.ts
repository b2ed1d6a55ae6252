import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CRD_KINDS, crdFiles, customResourceDefinition } from './crds.js';
import { structuralProblems, toStructural } from './structural-schema.js';

const CRD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'crds');

describe('generated CRDs', () => {
  it('are the committed files, byte for byte (run `npm run crds -w @meshviz/policy` after a schema change)', async () => {
    const committed = (await readdir(CRD_DIR)).sort();
    const generated = crdFiles();
    expect(committed).toEqual(generated.map((f) => f.name).sort());
    for (const f of generated) expect(await readFile(path.join(CRD_DIR, f.name), 'utf8'), f.name).toBe(f.text);
  });

  it("cover meshviz's own four kinds, not the Gateway API's routes", () => {
    expect(crdFiles().map((f) => f.name)).toEqual([
      'servers.policy.meshviz.io.yaml',
      'authorizationpolicies.policy.meshviz.io.yaml',
      'meshtlsauthentications.policy.meshviz.io.yaml',
      'networkauthentications.policy.meshviz.io.yaml',
    ]);
  });

  it('name each kind, namespaced, v1 served and stored', () => {
    const crd = parse(crdFiles()[1]!.text);
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.kind).toBe('CustomResourceDefinition');
    expect(crd.metadata.name).toBe('authorizationpolicies.policy.meshviz.io');
    expect(crd.spec.group).toBe('policy.meshviz.io');
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toEqual({
      kind: 'AuthorizationPolicy',
      listKind: 'AuthorizationPolicyList',
      plural: 'authorizationpolicies',
      singular: 'authorizationpolicy',
      shortNames: ['authzpolicy'],
    });
    expect(crd.spec.versions.map((v: { name: string; served: boolean; storage: boolean }) => [v.name, v.served, v.storage])).toEqual([
      ['v1', true, true],
    ]);
    expect(CRD_KINDS.map((k) => k.shortNames)).toEqual([['srv'], ['authzpolicy'], ['meshtlsauthn'], ['netauthn']]);
  });

  for (const k of CRD_KINDS) {
    it(`${k.kind}: a structural schema (a type on every node, objects typed object, no $ref, anyOf or oneOf)`, () => {
      const crd = customResourceDefinition(k) as { spec: { versions: { schema: { openAPIV3Schema: unknown } }[] } };
      expect(structuralProblems(crd.spec.versions[0]!.schema.openAPIV3Schema)).toEqual([]);
    });
  }

  it('carry the schema: Server port as int-or-string, defaults, enums and required fields', () => {
    const spec = parse(crdFiles()[0]!.text).spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(spec.required).toEqual(['podSelector', 'port']);
    expect(spec.properties.port).toEqual({
      'x-kubernetes-int-or-string': true,
      description: 'The port: its number, or the name of a container port of the selected pods.',
    });
    expect(spec.properties.accessPolicy.default).toBe('deny');
    expect(spec.properties.proxyProtocol).toMatchObject({ type: 'string', default: 'unknown', enum: ['unknown', 'HTTP/1', 'HTTP/2', 'gRPC', 'opaque', 'TLS'] });
    expect(spec.properties.podSelector.properties.matchExpressions.items.properties.operator.enum).toEqual(['In', 'NotIn', 'Exists', 'DoesNotExist']);
    expect('additionalProperties' in spec).toBe(false);
  });

  it("give the API server MeshTLSAuthentication's exactly-one rule", () => {
    const spec = parse(crdFiles()[2]!.text).spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(spec['x-kubernetes-validations']).toEqual([
      { rule: 'has(self.identities) != has(self.identityRefs)', message: 'must set exactly one of identities and identityRefs' },
    ]);
  });
});

describe('toStructural', () => {
  it('refuses what has no structural form, naming where', () => {
    expect(() => toStructural({ type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'boolean' }] } } })).toThrow(
      '.a: "anyOf" has no place in a Kubernetes structural schema',
    );
    expect(() => toStructural({ type: 'object', properties: { a: { $ref: '#/$defs/x' } } })).toThrow('.a: "$ref" has no place');
    expect(() => toStructural({ type: 'array', items: { description: 'untyped' } })).toThrow('[]: a structural schema needs a type on every node');
  });

  it('drops additionalProperties: false and keeps a map’s value schema', () => {
    expect(
      toStructural({ type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'string' } } }, additionalProperties: false }),
    ).toEqual({ type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'string' } } } });
  });
});

describe('structuralProblems', () => {
  it('finds every breach', () => {
    expect(
      structuralProblems({
        type: 'object',
        properties: {
          a: { properties: { b: { type: 'string' } } },
          c: { type: 'array' },
          d: { type: 'object', properties: {}, additionalProperties: { type: 'string' } },
          e: { oneOf: [] },
        },
      }),
    ).toEqual([
      '.a: no type',
      '.a: has properties but is not type: object',
      '.c: array without items',
      '.d: properties and additionalProperties together',
      '.e: oneOf is not allowed',
      '.e: no type',
    ]);
  });
});
