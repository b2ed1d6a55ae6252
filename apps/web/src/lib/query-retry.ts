import { ApiRequestError } from '@meshviz/api-client';

/** An answer from the API will not change by asking again at once; a lost connection might. */
export function retryUnreachable(failureCount: number, error: Error): boolean {
  if (error instanceof ApiRequestError && error.status !== 0) return false;
  return failureCount < 2;
}
