import { verifyWorkloadToken } from '@meshviz/identity';
import type { TokenValidator } from './token-validator.js';

/** Local workload tokens (issued by `meshviz up`), checked against the key they were signed with. */
export function createLocalValidator(key: Buffer): TokenValidator {
  return {
    kind: 'local',
    validate: async (token) => verifyWorkloadToken(key, token),
  };
}
