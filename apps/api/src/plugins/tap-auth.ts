import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiHttpError } from '../errors.js';

/**
 * Tapping shows live requests (paths, headers), so it needs its own permission, apart from reading metrics: a
 * bearer token the operator configures (API_TAP_TOKEN). Pages of other sites are refused before any route, tap
 * included (plugins/origin-check.ts).
 */
export function authorizeTap(request: FastifyRequest, token: string | undefined): void {
  if (!token) {
    throw new ApiHttpError(403, 'API_TAP_FORBIDDEN', 'tap is disabled on this API: the operator has not set API_TAP_TOKEN');
  }
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!given) {
    throw new ApiHttpError(401, 'API_TAP_UNAUTHORIZED', 'tap needs a tap token: send "Authorization: Bearer <token>"');
  }
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiHttpError(403, 'API_TAP_FORBIDDEN', 'this tap token is not valid');
  }
}
