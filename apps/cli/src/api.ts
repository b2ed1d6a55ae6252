import { type ApiClient, type ClientFailure, createApiClient } from '@meshviz/api-client';

/** How long a command waits for one answer before saying the API cannot be reached. */
const ANSWER_TIMEOUT_MS = 15_000;

const reason = (cause: unknown): unknown => (cause instanceof Error ? (cause.cause ?? cause.message) : cause);

/** The CLI's words for failures that are not the API's own answer: one line on a terminal, with what to try. */
export function cliWording(base: string) {
  return (failure: ClientFailure): { code: string; message: string } => {
    switch (failure.kind) {
      case 'unreachable':
        return {
          code: 'CLI_UNREACHABLE',
          message: `cannot reach the meshviz API at ${base} (${reason(failure.cause)}); is \`meshviz up\` running? Use --api <url> for another one`,
        };
      case 'unexpected-answer':
        return { code: 'CLI_UNEXPECTED_RESPONSE', message: `the API answered HTTP ${failure.status}` };
      case 'not-a-stream':
        return {
          code: 'CLI_UNEXPECTED_RESPONSE',
          message: `${base} answered ${failure.contentType || 'without a content type'} instead of an event stream; is it a meshviz API? Use --api <url> for another one`,
        };
      case 'invalid-answer':
        return { code: 'CLI_INVALID_RESPONSE', message: `unexpected answer from ${failure.url}: ${failure.detail}` };
      case 'invalid-event':
        return {
          code: 'CLI_INVALID_RESPONSE',
          message: `the API sent a "${failure.event}" event this meshviz does not understand (${failure.detail}); are the CLI and the API the same version?`,
        };
      case 'stream-broken':
        return { code: 'CLI_STREAM_BROKEN', message: `the stream from the meshviz API at ${base} broke off (${reason(failure.cause)})` };
    }
  };
}

/** The public API (or the dashboard, which passes /api/ on) at `base`. */
export function apiAt(base: string): ApiClient {
  return createApiClient({ baseUrl: base, wording: cliWording(base), timeoutMs: ANSWER_TIMEOUT_MS });
}
