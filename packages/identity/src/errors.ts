import type { IdentityErrorCode } from '@meshviz/mesh-types';

/** An identity failure with the contract's code, so the identity service maps it to its status in one place. */
export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
