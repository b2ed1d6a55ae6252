import { POLICY_GROUP } from '@meshviz/mesh-types';
import { stringify } from 'yaml';
import { z } from 'zod';
import { AuthorizationPolicySpec, MeshTLSAuthenticationSpec, NetworkAuthenticationSpec, ServerSpec } from './resources.js';
import { type JsonSchema, toStructural } from './structural-schema.js';

/**
 * The CustomResourceDefinitions of meshviz's own policy kinds, generated from the zod schemas that validate them,
 * so the cluster and the local loader accept the same shapes. HTTPRoute and GRPCRoute are the Gateway API's
 * (install its standard CRDs); they are not generated here.
 */

interface CrdKind {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly description: string;
  readonly spec: z.ZodType;
}

export const CRD_KINDS: readonly CrdKind[] = [
  {
    kind: 'Server',
    plural: 'servers',
    singular: 'server',
    shortNames: ['srv'],
    description: 'A port of the selected pods, and how the proxy treats requests no AuthorizationPolicy allows.',
    spec: ServerSpec,
  },
  {
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
    singular: 'authorizationpolicy',
    shortNames: ['authzpolicy'],
    description: 'Lets clients that satisfy every listed authentication reach a Server, a route, or a whole namespace.',
    spec: AuthorizationPolicySpec,
  },
  {
    kind: 'MeshTLSAuthentication',
    plural: 'meshtlsauthentications',
    singular: 'meshtlsauthentication',
    shortNames: ['meshtlsauthn'],
    description: 'Clients with one of these mesh mTLS identities.',
    spec: MeshTLSAuthenticationSpec,
  },
  {
    kind: 'NetworkAuthentication',
    plural: 'networkauthentications',
    singular: 'networkauthentication',
    shortNames: ['netauthn'],
    description: 'Clients whose address is in one of these networks.',
    spec: NetworkAuthenticationSpec,
  },
];

/** The spec's structural schema, as the CRD carries it. */
export function specSchema(spec: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(spec, { target: 'openapi-3.0', io: 'input', reused: 'inline', cycles: 'throw' });
  return toStructural(json as JsonSchema, 'spec');
}

export function customResourceDefinition(k: CrdKind): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${k.plural}.${POLICY_GROUP}`, labels: { 'meshviz.io/component': 'policy' } },
    spec: {
      group: POLICY_GROUP,
      scope: 'Namespaced',
      names: { kind: k.kind, listKind: `${k.kind}List`, plural: k.plural, singular: k.singular, shortNames: [...k.shortNames] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: k.description,
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: specSchema(k.spec),
              },
              required: ['spec'],
            },
          },
        },
      ],
    },
  };
}

const HEADER = '# Generated from packages/policy/src/resources.ts by `npm run crds -w @meshviz/policy`; do not edit.\n';

/** Each CRD as the file `crds/<plural>.policy.meshviz.io.yaml` holds it. */
export function crdFiles(): { name: string; text: string }[] {
  return CRD_KINDS.map((k) => ({
    name: `${k.plural}.${POLICY_GROUP}.yaml`,
    text: HEADER + stringify(customResourceDefinition(k), { lineWidth: 0 }),
  }));
}
