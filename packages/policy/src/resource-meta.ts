import { Dns1123Label, POLICY_API_VERSION } from '@meshviz/mesh-types';
import { z } from 'zod';
import { LabelKey, Labels, LabelValue, ResourceName } from './names.js';

/** What every policy resource shares: its metadata, and the label selectors that pick pods. */

/** Metadata of a policy resource: name and namespace are required (a directory has no current namespace). */
export const ObjectMeta = z.strictObject({
  name: ResourceName,
  namespace: Dns1123Label,
  labels: Labels.optional(),
  annotations: z.record(z.string(), z.string({ error: 'an annotation value must be a string: quote it ("3")' })).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

export const LabelSelectorRequirement = z
  .strictObject({
    key: LabelKey,
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(LabelValue).optional(),
  })
  .superRefine((req, ctx) => {
    const count = req.values?.length ?? 0;
    if ((req.operator === 'In' || req.operator === 'NotIn') && count === 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `must name at least one value for ${req.operator}` });
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && count > 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `must be empty for ${req.operator}` });
    }
  });
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirement>;

/** Kubernetes label selector: both parts must match; an empty selector selects every pod of the namespace. */
export const LabelSelector = z.strictObject({
  matchLabels: Labels.optional(),
  matchExpressions: z.array(LabelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

/** The envelope of every policy.meshviz.io/v1 kind: its apiVersion, `kind`, metadata and `spec`. */
export function policyResource<const K extends string, S extends z.ZodType>(kind: K, spec: S) {
  return z.strictObject({ apiVersion: z.literal(POLICY_API_VERSION), kind: z.literal(kind), metadata: ObjectMeta, spec });
}
