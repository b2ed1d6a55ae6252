import type { ClientFailure, FailureWording } from '../api-request-error.js';

/** A wording for tests: the code names the failure's kind, and the failures seen are kept to look at. */
export function echoWording(): FailureWording & { seen: ClientFailure[] } {
  const seen: ClientFailure[] = [];
  const wording = (failure: ClientFailure) => {
    seen.push(failure);
    return { code: `TEST_${failure.kind.toUpperCase().replaceAll('-', '_')}`, message: `failed: ${failure.kind}` };
  };
  return Object.assign(wording, { seen });
}
