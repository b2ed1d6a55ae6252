import { z } from 'zod';

/**
 * One entry of a route table: requests matching it are counted under `rt_route=<name>` in the route_* metric
 * families; requests matching no entry under `rt_route=""`. First match wins. Matching uses only the method and
 * the path, so label values stay a closed set however many distinct URLs clients send. Unknown keys are refused, not
 * dropped: a timeout or a retry condition written here (they belong to the service's `outbound` routes) would
 * otherwise vanish without a word.
 */
export const RouteSpec = z
  .strictObject({
    name: z.string().min(1).max(100),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).optional(),
    /** Exact path. */
    path: z.string().startsWith('/').optional(),
    pathPrefix: z.string().startsWith('/').optional(),
    /** Anchored regular expression over the path. */
    pathRegex: z.string().optional(),
    /** Retries of failed attempts (5xx or connection errors) of idempotent methods, within the proxy's retry budget. */
    retries: z.object({ limit: z.number().int().min(1).max(5) }).optional(),
  })
  .refine((r) => [r.path, r.pathPrefix, r.pathRegex].filter((x) => x !== undefined).length <= 1, {
    message: 'at most one of path, pathPrefix and pathRegex',
  });
export type RouteSpec = z.infer<typeof RouteSpec>;

export const RouteTable = z.array(RouteSpec);
export type RouteTable = z.infer<typeof RouteTable>;

/** The route name the local runtime gives a demo route: method and path, the way operators name them. */
export const routeName = (method: string, path: string): string => `${method} ${path}`;
