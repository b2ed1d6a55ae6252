import { Dns1123Label } from '@meshviz/mesh-types';
import { z } from 'zod';
import { cidrContains, parseCidr } from './cidr.js';
import { IDENTITY_PATTERN_HINT, isIdentityPattern } from './identity-patterns.js';
import { checkGroup, ResourceName } from './names.js';
import { policyResource } from './resource-meta.js';

/**
 * Who may call: AuthorizationPolicy (a target and the authentications it requires), and the two authentications it
 * names, MeshTLSAuthentication (identities) and NetworkAuthentication (client networks), all policy.meshviz.io/v1.
 */

// --- AuthorizationPolicy ------------------------------------------------------------------------------------------

export const PolicyTargetRef = z
  .strictObject({
    group: z.string().optional(),
    kind: z.enum(['Server', 'HTTPRoute', 'GRPCRoute', 'Namespace']),
    name: ResourceName,
  })
  .superRefine(checkGroup);

export const AuthenticationRef = z
  .strictObject({
    group: z.string().optional(),
    kind: z.enum(['MeshTLSAuthentication', 'NetworkAuthentication', 'ServiceAccount']),
    name: ResourceName,
    namespace: Dns1123Label.optional().describe("Defaults to the AuthorizationPolicy's namespace."),
  })
  .superRefine(checkGroup);
export type AuthenticationRef = z.infer<typeof AuthenticationRef>;

export const AuthorizationPolicySpec = z
  .strictObject({
    targetRef: PolicyTargetRef.describe("What the policy applies to, in the policy's namespace."),
    requiredAuthenticationRefs: z
      .array(AuthenticationRef)
      .min(1, 'must name at least one authentication')
      .describe('Authentications a client must satisfy, all of them.'),
  })
  .superRefine((spec, ctx) => {
    // All refs must hold at once; one identity set and one network set keep that a plain AND.
    const identity = spec.requiredAuthenticationRefs.filter(
      (r) => r.kind === 'MeshTLSAuthentication' || r.kind === 'ServiceAccount',
    );
    const network = spec.requiredAuthenticationRefs.filter((r) => r.kind === 'NetworkAuthentication');
    if (identity.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['requiredAuthenticationRefs'],
        message: 'names more than one MeshTLSAuthentication or ServiceAccount; put every identity into one MeshTLSAuthentication',
      });
    }
    if (network.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['requiredAuthenticationRefs'],
        message: 'names more than one NetworkAuthentication; put every network into one NetworkAuthentication',
      });
    }
  });

export const AuthorizationPolicy = policyResource('AuthorizationPolicy', AuthorizationPolicySpec).superRefine((policy, ctx) => {
    const target = policy.spec.targetRef;
    if (target.kind === 'Namespace' && target.name !== policy.metadata.namespace) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'targetRef', 'name'],
        message: `a Namespace target must be the policy's own namespace "${policy.metadata.namespace}"`,
      });
    }
  });
export type AuthorizationPolicy = z.infer<typeof AuthorizationPolicy>;

// --- MeshTLSAuthentication ----------------------------------------------------------------------------------------

export const IdentityRef = z
  .strictObject({
    group: z.string().optional(),
    kind: z.enum(['ServiceAccount', 'Namespace']),
    name: Dns1123Label,
    namespace: Dns1123Label.optional().describe("ServiceAccount only; defaults to the authentication's namespace."),
  })
  .superRefine((ref, ctx) => {
    checkGroup(ref, ctx);
    if (ref.kind === 'Namespace' && ref.namespace !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: 'a Namespace ref has no namespace of its own' });
    }
  });
export type IdentityRef = z.infer<typeof IdentityRef>;

export const MeshTLSAuthenticationSpec = z
  .strictObject({
    identities: z
      .array(z.string().refine(isIdentityPattern, `must be ${IDENTITY_PATTERN_HINT}`))
      .min(1)
      .optional()
      .describe('Identity names, "*" for any, or "*.<ns>.serviceaccount.identity.meshviz.<trust-domain>".'),
    identityRefs: z.array(IdentityRef).min(1).optional().describe('Service accounts or whole namespaces.'),
  })
  .superRefine((spec, ctx) => {
    if ((spec.identities === undefined) === (spec.identityRefs === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must set exactly one of identities and identityRefs' });
    }
  })
  .meta({
    // The same rule for the API server (the CRD is generated from this schema).
    'x-kubernetes-validations': [
      { rule: 'has(self.identities) != has(self.identityRefs)', message: 'must set exactly one of identities and identityRefs' },
    ],
  });

export const MeshTLSAuthentication = policyResource('MeshTLSAuthentication', MeshTLSAuthenticationSpec);
export type MeshTLSAuthentication = z.infer<typeof MeshTLSAuthentication>;

// --- NetworkAuthentication ----------------------------------------------------------------------------------------

const CidrText = z.string().superRefine((text, ctx) => {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `"${text}" ${parsed}` });
});

export const Network = z
  .strictObject({
    cidr: CidrText.describe('IPv4 or IPv6 CIDR, e.g. 10.0.0.0/8.'),
    except: z.array(CidrText).optional().describe('CIDRs inside cidr that are not allowed.'),
  })
  .superRefine((network, ctx) => {
    const outer = parseCidr(network.cidr);
    if (typeof outer === 'string') return;
    network.except?.forEach((text, i) => {
      const inner = parseCidr(text);
      if (typeof inner !== 'string' && !cidrContains(outer, inner)) {
        ctx.addIssue({ code: 'custom', path: ['except', i], message: `"${text}" is not inside ${network.cidr}` });
      }
    });
  });
export type Network = z.infer<typeof Network>;

export const NetworkAuthenticationSpec = z.strictObject({
  networks: z.array(Network).min(1, 'must name at least one network'),
});

export const NetworkAuthentication = policyResource('NetworkAuthentication', NetworkAuthenticationSpec);
export type NetworkAuthentication = z.infer<typeof NetworkAuthentication>;
