import { readWorkloadTokenKey } from '@meshviz/identity';
import { CONTROL_ENV, ConfigError, type TokenValidatorConfig } from '../../config.js';
import { createKubernetesValidator } from './kubernetes.js';
import { createLocalValidator } from './local.js';
import type { TokenValidator } from './token-validator.js';

export type { TokenValidator } from './token-validator.js';

/**
 * The validator the configuration names. The local key is read here, once, so a missing or short key file stops
 * the start with a ConfigError naming the variable; the Kubernetes files are read per review (they rotate).
 */
export async function createTokenValidator(config: TokenValidatorConfig): Promise<TokenValidator> {
  if (config.kind === 'kubernetes') return createKubernetesValidator(config);
  try {
    return createLocalValidator(await readWorkloadTokenKey(config.keyFile));
  } catch (error) {
    throw new ConfigError(CONTROL_ENV.localTokenKeyFile, `${CONTROL_ENV.localTokenKeyFile}: ${(error as Error).message}`);
  }
}
