import { ApiRequestError } from '../api-request-error.js';

/** The ApiRequestError a call rejects with; a success or any other error fails the test that awaits it. */
export async function apiFailure(promise: Promise<unknown>): Promise<ApiRequestError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiRequestError)) throw new Error(`expected an ApiRequestError, got ${String(err)}`);
  return err;
}
