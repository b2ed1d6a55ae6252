import { parseIdentityName } from '@meshviz/mesh-types';

/**
 * The forms a MeshTLSAuthentication's `identities` entry may take: `*` (any mesh identity), one identity name
 * (`<sa>.<ns>.serviceaccount.identity.meshviz.<trust-domain>`), or every service account of one namespace
 * (`*.<ns>.serviceaccount.identity.meshviz.<trust-domain>`).
 */
export type IdentityPattern =
  | { kind: 'any' }
  | { kind: 'name'; name: string; serviceAccount: string; namespace: string; trustDomain: string }
  | { kind: 'namespace'; suffix: string; namespace: string; trustDomain: string };

export const IDENTITY_PATTERN_HINT =
  '"*", an identity name "<sa>.<ns>.serviceaccount.identity.meshviz.<trust-domain>" or "*.<ns>.serviceaccount.identity.meshviz.<trust-domain>"';

export function parseIdentityPattern(text: string): IdentityPattern | undefined {
  if (text === '*') return { kind: 'any' };
  if (text.startsWith('*.')) {
    // Parse with a stand-in service account, so the namespace and trust domain are checked like a full name's.
    const id = parseIdentityName(`x${text.slice(1)}`);
    if (!id) return undefined;
    return { kind: 'namespace', suffix: text.slice(1), namespace: id.namespace, trustDomain: id.trustDomain };
  }
  const id = parseIdentityName(text);
  return id ? { kind: 'name', name: text, ...id } : undefined;
}

export function isIdentityPattern(text: string): boolean {
  return parseIdentityPattern(text) !== undefined;
}

/** The suffix every identity of a namespace ends with, leading dot included. */
export function namespaceIdentitySuffix(namespace: string, trustDomain: string): string {
  return `.${namespace}.serviceaccount.identity.meshviz.${trustDomain}`;
}
