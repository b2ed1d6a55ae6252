import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Checks the caller's `authorization: Bearer <token>` metadata. Returns null when it is right, else the message
 * the caller gets with UNAUTHENTICATED. Both tokens are hashed before comparing so the comparison takes the
 * same time whatever the caller sent, its length included. The messages never echo what was sent.
 */
export function checkBearer(sent: unknown, expected: string | undefined): string | null {
  if (expected === undefined || expected === '') return 'tap is disabled: this proxy was started without PROXY_TAP_TOKEN';
  if (typeof sent !== 'string' || sent === '') return 'missing authorization metadata: send "authorization: Bearer <token>"';
  const token = BEARER.exec(sent)?.[1];
  if (token === undefined) return 'authorization metadata must be "Bearer <token>"';
  return timingSafeEqual(digest(token), digest(expected)) ? null : 'invalid tap token';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
