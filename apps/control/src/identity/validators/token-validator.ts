import type { WorkloadRef } from '@meshviz/identity';

/**
 * Says which workload a token belongs to. Resolves with its namespace and service account; rejects with an
 * IdentityError: IDENTITY_UNAUTHENTICATED when the token is refused, IDENTITY_UNAVAILABLE when it cannot be
 * checked now (the token reviewer unreachable), so the caller may retry.
 */
export interface TokenValidator {
  readonly kind: 'local' | 'kubernetes';
  validate(token: string): Promise<WorkloadRef>;
}
