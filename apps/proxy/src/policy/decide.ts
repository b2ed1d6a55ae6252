import type { HttpTarget, Stage } from '../core/stage.js';
import type { PolicyState } from './state.js';

/**
 * Decide stage (inbound, outermost): matches the request to a route of the policy in force and picks the
 * authorization that lets its client in, or the denial, and sets the decision on the target for the stages below
 * (metrics and tap label with it, enforce acts on it). Decisions are prebuilt objects: this costs lookups only. A
 * policy swapped in meanwhile applies from the next request on.
 */
export function decide(state: PolicyState, next: Stage<HttpTarget>): Stage<HttpTarget> {
  return (target, request) => {
    try {
      target.authz = state.forPort(target.original?.port).decideHttp(target.tls, request);
    } catch (error) {
      // The HTTP stages expect a rejection, never a throw; only a bug could get here.
      return Promise.reject(error);
    }
    return next(target, request);
  };
}
