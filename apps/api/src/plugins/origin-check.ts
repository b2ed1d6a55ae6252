import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiHttpError } from '../errors.js';

/**
 * Why a request comes from a browser page of another site, or null when it does not. Browsers say where a request
 * comes from (Sec-Fetch-Site, Origin); the dashboard's own server forwards neither and command-line clients send
 * neither, so only a page of another site calling the API directly is refused. A sibling subdomain (same-site) is
 * another page too, and an Origin that is not a URL ("null" from sandboxed pages) is not ours.
 */
export function crossSiteReason(request: FastifyRequest): string | null {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site is ${site}`;
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  let host: string | null;
  try {
    host = new URL(origin).host;
  } catch {
    host = null;
  }
  return host !== null && host === request.headers.host ? null : `Origin ${JSON.stringify(origin.slice(0, 100))} is not this API`;
}

/** Every route, tap included: pages of other sites may not read the mesh's metrics through a user's browser. */
export function registerOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const reason = crossSiteReason(request);
    if (reason) {
      throw new ApiHttpError(403, 'API_CROSS_SITE_FORBIDDEN', `the meshviz API does not serve pages of other sites (${reason})`, {
        param: 'Origin',
      });
    }
  });
}
