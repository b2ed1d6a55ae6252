import { GATEWAY_GROUP, POLICY_GROUP } from '@meshviz/mesh-types';
import { z } from 'zod';

/** Kubernetes naming rules the policy schemas share, and the API group each referenced kind lives in. */

export const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Kubernetes object name (DNS-1123 subdomain). */
export const ResourceName = z
  .string()
  .max(253)
  .regex(SUBDOMAIN, 'must be a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")');

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A label key: `name` or `prefix/name`, the prefix a DNS subdomain. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash < 0) return LABEL_NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && SUBDOMAIN.test(prefix) && LABEL_NAME.test(key.slice(slash + 1));
}

export const LabelKey = z.string().refine(isLabelKey, 'must be a label key ("app", "example.com/tier"; at most 63 characters)');
export const LabelValue = z
  .string()
  .regex(LABEL_VALUE, 'must be a label value (letters, digits, "-", "_", "." at most 63 characters)');
export const Labels = z.record(z.string(), LabelValue).superRefine((labels, ctx) => {
  for (const key of Object.keys(labels)) {
    if (!isLabelKey(key)) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not a label key` });
  }
});

/** A port number, as Servers and route backends name it. */
export const PortNumber = z.number().int('must be a whole number').min(1, 'must be 1 to 65535').max(65535, 'must be 1 to 65535');

export const PORT_NAME = /^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
/** A container port name (IANA service name): at most 15 characters, at least one letter, no "--". */
export function isPortName(name: string): boolean {
  return PORT_NAME.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

/** The proxy runs match expressions as JavaScript regular expressions, so that is what must compile. */
export function compilesAsRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
export const GRPC_SERVICE = /^\.?[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*$/;
export const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

/** The API groups a reference of each kind may name (an omitted group is taken to be right). */
const CORE_GROUPS = ['', 'core'];
const TARGET_GROUPS: Record<string, readonly string[]> = {
  Server: [POLICY_GROUP],
  HTTPRoute: [GATEWAY_GROUP, POLICY_GROUP],
  GRPCRoute: [GATEWAY_GROUP, POLICY_GROUP],
  Namespace: CORE_GROUPS,
  MeshTLSAuthentication: [POLICY_GROUP],
  NetworkAuthentication: [POLICY_GROUP],
  ServiceAccount: CORE_GROUPS,
};

export function checkGroup(ref: { group?: string | undefined; kind: string }, ctx: z.RefinementCtx): void {
  const groups = TARGET_GROUPS[ref.kind];
  if (ref.group === undefined || !groups || groups.includes(ref.group)) return;
  const expected = groups.map((g) => `"${g}"`).join(' or ');
  ctx.addIssue({ code: 'custom', path: ['group'], message: `must be ${expected} for kind ${ref.kind}` });
}
