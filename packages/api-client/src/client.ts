import type { FailureWording } from './api-request-error.js';
import { endpointUrl, type RequestOf } from './endpoint-url.js';
import type { JsonEndpoint, ResponseOf, StreamEndpoint, StreamEventOf } from './endpoints.js';
import { readEventStream } from './event-stream.js';
import { fetchJson } from './json-fetch.js';

export interface ApiClientOptions {
  /** Where the API is: "" for the page's own origin (the dashboard), else an absolute URL. */
  baseUrl: string;
  /** The client's code and message for each failure that is not the API's own answer. */
  wording: FailureWording;
  /** Gives up on a JSON call after this long, as unreachable; streams run until stopped. */
  timeoutMs?: number;
}

export interface ApiClient {
  readonly baseUrl: string;
  /** GETs a JSON endpoint, checked against its response schema. */
  get<E extends JsonEndpoint>(endpoint: E, request: RequestOf<E>, signal?: AbortSignal): Promise<ResponseOf<E>>;
  /** Reads an event stream until the server ends it or `signal` aborts; see readEventStream. */
  stream<S extends StreamEndpoint>(
    endpoint: S,
    request: RequestOf<S>,
    token: string,
    signal: AbortSignal,
    onEvent: (event: StreamEventOf<S>) => void,
  ): Promise<void>;
}

/** A client of the public API at one address, with its own words for failures. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const { wording, timeoutMs } = options;
  function get<E extends JsonEndpoint>(endpoint: E, request: RequestOf<E>, signal?: AbortSignal): Promise<ResponseOf<E>> {
    const schema: E['response']['schema'] = endpoint.response.schema;
    return fetchJson(baseUrl + endpointUrl(endpoint, request), schema, { wording, signal, timeoutMs });
  }
  function stream<S extends StreamEndpoint>(
    endpoint: S,
    request: RequestOf<S>,
    token: string,
    signal: AbortSignal,
    onEvent: (event: StreamEventOf<S>) => void,
  ): Promise<void> {
    return readEventStream(baseUrl + endpointUrl(endpoint, request), endpoint, { wording, token, signal }, onEvent);
  }
  return { baseUrl, get, stream };
}
