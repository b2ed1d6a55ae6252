import type { z } from 'zod';

/** What endpointUrl needs of an endpoint: its path (`{param}` marks a path parameter) and its parameter schemas. */
export interface EndpointShape {
  readonly path: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
}

/**
 * Query parameters as a client sends them: the endpoint's own names (a typo does not compile), values as text.
 * The API checks the values with the same schema and names the one it refuses.
 */
export type QueryOf<E extends EndpointShape> = E['query'] extends z.ZodObject
  ? { readonly [K in keyof z.input<E['query']>]?: string | undefined }
  : Readonly<Record<string, never>>;

/** Path parameters (for paths with `{…}` segments) and query parameters of one call. */
export type RequestOf<E extends EndpointShape> = (E['params'] extends z.ZodObject
  ? { readonly params: Readonly<Record<keyof z.input<E['params']>, string>> }
  : { readonly params?: undefined }) & { readonly query?: QueryOf<E> };

const PARAM = /\{([^}]+)\}/g;

/** The endpoint's path with its `{…}` segments filled in, escaped, so a name cannot reach another route. */
export function endpointPath(endpoint: EndpointShape, params: Readonly<Record<string, string>> = {}): string {
  return endpoint.path.replace(PARAM, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${endpoint.path} needs the path parameter "${name}"`);
    return encodeURIComponent(value);
  });
}

/** `?a=1&b=2` with the parameters that are not undefined, in the order given ("" when none is left). */
export function queryString(query: Readonly<Record<string, string | undefined>> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The path and query of one call of an endpoint, relative to the API's origin. */
export function endpointUrl<E extends EndpointShape>(endpoint: E, request: RequestOf<E>): string {
  return endpointPath(endpoint, request.params ?? {}) + queryString(request.query as Record<string, string | undefined> | undefined);
}
