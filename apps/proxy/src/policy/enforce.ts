import type { HttpTarget, Stage } from '../core/stage.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { AuthzSeries } from '../metrics/authz-series.js';
import { refusalReason } from './decision.js';

/**
 * Enforce stage (inbound, below observe): counts the decision in the authz families and refuses what the policy
 * does not allow: `unauthorized` (403, gRPC PERMISSION_DENIED) when no authorization lets the client in,
 * `route_not_found` (404, gRPC NOT_FOUND) when no route matches. Refused requests never reach the app; being
 * below observe, they are still counted in response_total and shown by tap.
 */
export function enforce(series: AuthzSeries, next: Stage<HttpTarget>): Stage<HttpTarget> {
  return (target, request) => {
    const decision = target.authz;
    if (decision === undefined) {
      return Promise.reject(new ProxyError('internal_error', { message: 'an inbound request reached enforce without a decision' }));
    }
    series.http(decision, target.tls);
    if (decision.outcome === 'allow') return next(target, request);
    // The reason is only spelled out when someone reads it: a flood of refused requests costs no strings.
    if (request.log.isLevelEnabled('debug')) {
      request.log.debug({ reason: refusalReason(decision, target.tls, request.peer) }, 'request refused by the inbound policy');
    }
    return Promise.reject(new ProxyError(decision.outcome === 'deny' ? 'unauthorized' : 'route_not_found'));
  };
}
