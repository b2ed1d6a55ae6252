import { type ClientFailure, createApiClient } from '@meshviz/api-client';

/** The dashboard's codes and words for failures that are not the API's own answer, as the error banner shows them. */
export function dashboardWording(failure: ClientFailure): { code: string; message: string } {
  switch (failure.kind) {
    case 'unreachable':
      return { code: 'WEB_UNREACHABLE', message: 'The dashboard server is not reachable.' };
    case 'unexpected-answer':
      return { code: 'WEB_UNEXPECTED_RESPONSE', message: `The API answered ${failure.status} ${failure.statusText}`.trim() };
    case 'not-a-stream':
      return {
        code: 'WEB_UNEXPECTED_RESPONSE',
        message: `The API answered ${failure.contentType || 'without a content type'} instead of an event stream.`,
      };
    case 'invalid-answer':
      return {
        code: 'WEB_INVALID_RESPONSE',
        message: 'The API answered with data this dashboard does not understand (are the API and web the same version?).',
      };
    case 'invalid-event':
      return {
        code: 'WEB_INVALID_RESPONSE',
        message: `The API sent a "${failure.event}" event this dashboard does not understand (${failure.detail}). Are the API and web the same version?`,
      };
    case 'stream-broken':
      return { code: 'WEB_STREAM_BROKEN', message: 'The stream broke off: the dashboard server or the API went away.' };
  }
}

/** The public API as the browser reaches it: through the dashboard's own origin, which passes /api/ on. */
export const dashboardApi = createApiClient({ baseUrl: '', wording: dashboardWording });
