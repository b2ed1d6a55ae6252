import { AtParam, Dns1123Label, WindowParam, WORKLOAD_KINDS } from '@meshviz/mesh-types';
import { z } from 'zod';

/** Kinds whose authorization traffic can be read: each names its pods by the scrape-time label of the same name. */
export const AUTHZ_KINDS = [...WORKLOAD_KINDS, 'pod'] as const;
export type AuthzKind = (typeof AUTHZ_KINDS)[number];

/**
 * Parameters of `GET /api/v1/authz`: one resource, whose proxies' authorization decisions are read. The contract
 * (packages/mesh-types, policy.ts) fixes the answer (AuthzResponse) but names no query, so it is declared here,
 * from the contract's own parameter schemas.
 */
export const AuthzQuery = z.object({
  kind: z
    .enum(AUTHZ_KINDS, { error: `must be one of ${AUTHZ_KINDS.join(', ')}: a workload kind or a pod` })
    .default('deployment')
    .describe('Kind of the resource (its scrape-time label)'),
  namespace: Dns1123Label.describe('Namespace of the resource'),
  name: Dns1123Label.describe('Name of the resource'),
  window: WindowParam.default('1m'),
  at: AtParam.optional(),
});
export type AuthzQuery = z.infer<typeof AuthzQuery>;
